package dev.meridian.proxy.session;

import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers written by hand from the spec (haproxy.org proxy-protocol.txt), not by
 * Netty's encoder, so the tests do not check Netty against itself.
 */
public final class ProxyHeaders {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    /** {@code PROXY TCP4|TCP6 src dst sport dport\r\n}, the family from the source address. */
    public static byte[] v1(String source, int sourcePort, String destination, int destinationPort) {
        boolean v4 = address(source) instanceof Inet4Address;
        if (v4 != address(destination) instanceof Inet4Address) {
            throw new IllegalArgumentException("source and destination must be of one family");
        }
        String family = v4 ? "TCP4" : "TCP6";
        return ascii("PROXY " + family + " " + source + " " + destination + " " + sourcePort + " " + destinationPort + "\r\n");
    }

    /** A v1 header whose sender does not know the addresses. */
    public static byte[] v1Unknown() {
        return ascii("PROXY UNKNOWN\r\n");
    }

    /** A v2 PROXY command over TCP, IPv4 or IPv6 after the source address. */
    public static byte[] v2(String source, int sourcePort, String destination, int destinationPort) {
        byte[] src = address(source).getAddress();
        byte[] dst = address(destination).getAddress();
        if (src.length != dst.length) {
            throw new IllegalArgumentException("source and destination must be of one family");
        }
        ByteArrayOutputStream addresses = new ByteArrayOutputStream();
        addresses.writeBytes(src);
        addresses.writeBytes(dst);
        short16(addresses, sourcePort);
        short16(addresses, destinationPort);
        return v2(0x21, src.length == 4 ? 0x11 : 0x21, addresses.toByteArray());
    }

    /** A v2 LOCAL command: the load balancer's own connection, e.g. a health check. */
    public static byte[] v2Local() {
        return v2(0x20, 0x00, new byte[0]);
    }

    /** A v2 PROXY command for a UNIX stream socket: no IP address to locate by. */
    public static byte[] v2Unix(String sourcePath) {
        byte[] addresses = new byte[216];
        byte[] path = ascii(sourcePath);
        System.arraycopy(path, 0, addresses, 0, path.length);
        return v2(0x21, 0x31, addresses);
    }

    /** Any v2 header: version/command byte, family/protocol byte, address block. */
    public static byte[] v2(int versionCommand, int familyProtocol, byte[] addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(versionCommand);
        out.write(familyProtocol);
        short16(out, addresses.length);
        out.writeBytes(addresses);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static InetAddress address(String ip) {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(ip);
        if (a == null) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        return a;
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
