package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.nio.charset.StandardCharsets;

/**
 * A decoded PROXY header's addresses and ports must be the ones written in it: read back here
 * from the raw header for v1 TCP lines and v2 TCP over IPv4, the forms the proxy locates
 * clients by.
 */
final class HeaderFields {
    private HeaderFields() {
    }

    static void assertMatch(HAProxyMessage m, byte[] header) {
        if (m.protocolVersion() == HAProxyProtocolVersion.V1) {
            v1(m, new String(header, 0, header.length - 2, StandardCharsets.US_ASCII));
        } else if (m.proxiedProtocol() == HAProxyProxiedProtocol.TCP4) {
            v2Tcp4(m, header);
        }
    }

    /**
     * "PROXY TCP4 src dst sport dport": addresses verbatim; ports as numbers ("080" is 80).
     * Netty tolerates spaces at the end of the line (String.split drops them), so do we.
     */
    private static void v1(HAProxyMessage m, String line) {
        String[] f = line.split(" ");
        assertThat(f[0]).isEqualTo("PROXY");
        assertThat(f[1]).isEqualTo(m.proxiedProtocol().name());
        if (m.proxiedProtocol() == HAProxyProxiedProtocol.UNKNOWN) {
            return; // the rest of the line is ignored, as the specification says
        }
        assertThat(f).hasSize(6);
        assertThat(m.sourceAddress()).isEqualTo(f[2]);
        assertThat(m.destinationAddress()).isEqualTo(f[3]);
        assertThat(m.sourcePort()).isEqualTo(Integer.parseInt(f[4])).isBetween(0, 65535);
        assertThat(m.destinationPort()).isEqualTo(Integer.parseInt(f[5])).isBetween(0, 65535);
    }

    /** Signature, version/command, family, length, then 4 + 4 address bytes and 2 + 2 port bytes. */
    private static void v2Tcp4(HAProxyMessage m, byte[] h) {
        assertThat(m.sourceAddress()).isEqualTo(dotted(h, 16));
        assertThat(m.destinationAddress()).isEqualTo(dotted(h, 20));
        assertThat(m.sourcePort()).isEqualTo((h[24] & 0xFF) << 8 | h[25] & 0xFF);
        assertThat(m.destinationPort()).isEqualTo((h[26] & 0xFF) << 8 | h[27] & 0xFF);
    }

    private static String dotted(byte[] h, int at) {
        return (h[at] & 0xFF) + "." + (h[at + 1] & 0xFF) + "." + (h[at + 2] & 0xFF) + "." + (h[at + 3] & 0xFF);
    }
}
