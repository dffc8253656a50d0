package dev.meridian.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}.
 *
 * <p>Host bits are accepted and cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}): that is what
 * routers and most tools do, and the only possible meaning. A bare address is a single host
 * ({@code /32} or {@code /128}). Addresses are parsed here, never by {@link InetAddress#getByName},
 * which would fall back to a DNS lookup for text it does not understand. IPv4 parts with leading
 * zeros are rejected because some tools read them as octal.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] address, int prefixLength) {
        this.prefixLength = prefixLength;
        this.network = address;
        for (int bit = prefixLength; bit < address.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /** Parses {@code address/prefix} or a bare address; the message says what is wrong. */
    public static Cidr parse(String text) throws IllegalArgumentException {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes =
                address.indexOf(':') >= 0 ? IpText.parseV6(address) : IpText.parseV4(address);
        int max = bytes.length * 8;
        int prefix = slash < 0 ? max : parsePrefix(text.substring(slash + 1), max);
        return new Cidr(bytes, prefix);
    }

    private static int parsePrefix(String text, int max) {
        boolean digits = !text.isEmpty() && text.length() <= 3
                && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw new IllegalArgumentException("prefix length must be a number 0.." + max);
        }
        int prefix = Integer.parseInt(text);
        if (prefix > max) {
            throw new IllegalArgumentException("prefix length must be 0.." + max);
        }
        return prefix;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /**
     * The prefix length counted in IPv6 bits, IPv4 networks being inside {@code ::ffff:0:0/96}:
     * lets "most specific wins" compare {@code 10.0.0.0/8} with {@code ::ffff:10.0.0.0/104}.
     */
    int mappedPrefixLength() {
        return isIpv6() ? prefixLength : prefixLength + 96;
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    /** The network address (host bits cleared). */
    public InetAddress network() {
        try {
            return InetAddress.getByAddress(network.clone());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: length is always 4 or 16
        }
    }

    /**
     * Whether {@code address} is inside this network. An IPv4 client seen through a dual-stack
     * socket as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) matches IPv4 networks; an IPv4 address
     * matches an IPv6 network only inside {@code ::ffff:0:0/96}.
     */
    public boolean contains(InetAddress address) {
        byte[] a = sameFamily(address.getAddress());
        if (a == null) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private byte[] sameFamily(byte[] a) {
        if (a.length == network.length) {
            return a;
        }
        if (a.length == 4) {
            if (prefixLength < 96) {
                return null; // ::/0 means "every IPv6 client", not "every client"
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a, 0, mapped, 12, 4);
            return mapped;
        }
        boolean mapped = a[10] == (byte) 0xff && a[11] == (byte) 0xff
                && Arrays.equals(a, 0, 10, new byte[10], 0, 10);
        return mapped ? Arrays.copyOfRange(a, 12, 16) : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other
                && prefixLength == other.prefixLength
                && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** Normalised form, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return IpText.format(network) + "/" + prefixLength;
    }
}
