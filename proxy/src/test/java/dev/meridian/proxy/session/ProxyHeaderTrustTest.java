package dev.meridian.proxy.session;

import static dev.meridian.proxy.session.ProxyHeaders.concat;
import static dev.meridian.proxy.session.ProxyPhaseChannel.channel;
import static dev.meridian.proxy.session.ProxyPhaseChannel.startup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.config.Cidr;
import dev.meridian.proxy.config.ProxyProtocol;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A PROXY header is believed only from a peer inside {@code listen.proxy_protocol_from}. */
class ProxyHeaderTrustTest {
    private static final String SPOOFED = "203.0.113.7";
    private final ProxyPhaseChannel in = new ProxyPhaseChannel();

    @AfterEach
    void everyInputReleased() {
        in.assertEveryInputReleased();
    }

    @Test
    void optionalFromAnUntrustedPeerReadsTheHeaderButKeepsTheTcpPeer() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL, false);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v1(SPOOFED, 51000, "10.0.0.1", 5432), startup())));

        assertThat(ClientAddresses.of(ch)).isNull(); // the embedded channel's peer is not an IP address
        StartupMessage m = ch.readInbound();
        assertThat(m.user()).isEqualTo("alice");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void requiredFromAnUntrustedPeerClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED, false);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v2(SPOOFED, 51000, "10.0.0.1", 5432), startup())));

        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ClientAddresses.of(ch)).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void trustedPeerIsOneInsideTheList() {
        List<Cidr> peers = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fdaa::/16"));
        assertThat(ProxyProtocolHandler.trusted(new InetSocketAddress("10.1.2.3", 1), peers)).isTrue();
        assertThat(ProxyProtocolHandler.trusted(new InetSocketAddress("fdaa::5", 1), peers)).isTrue();
        assertThat(ProxyProtocolHandler.trusted(new InetSocketAddress("127.0.0.1", 1), peers)).isFalse();
        assertThat(ProxyProtocolHandler.trusted(new io.netty.channel.embedded.EmbeddedChannel().remoteAddress(), peers))
                .isFalse();
    }
}
