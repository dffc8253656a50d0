package dev.meridian.proxy.session;

import static dev.meridian.proxy.session.ProxyHeaders.concat;
import static dev.meridian.proxy.session.ProxyPhaseChannel.assertStartupPassedAndPhaseLeft;
import static dev.meridian.proxy.session.ProxyPhaseChannel.channel;
import static dev.meridian.proxy.session.ProxyPhaseChannel.fromHeader;
import static dev.meridian.proxy.session.ProxyPhaseChannel.sslRequest;
import static dev.meridian.proxy.session.ProxyPhaseChannel.startup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.SslRequest;
import dev.meridian.proxy.config.ProxyProtocol;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Headers the PROXY protocol phase accepts: the client's address is recorded, the rest passes on. */
class ProxyProtocolHeaderTest {
    private static final String LONDON = "81.2.69.142";
    private static final String JAPAN = "2001:218::7";
    private final ProxyPhaseChannel in = new ProxyPhaseChannel();

    @AfterEach
    void everyInputReleased() {
        in.assertEveryInputReleased();
    }

    @Test
    void v1Ipv4HeaderRecordsTheClientAndPassesTheStartup() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v1(LONDON, 51000, "10.0.0.1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v1Ipv6Header() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v1(JAPAN, 51000, "2001:db8::1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(JAPAN));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v2Ipv4Header() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v2(LONDON, 51000, "10.0.0.1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v2Ipv6Header() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v2(JAPAN, 51000, "2001:db8::1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(JAPAN));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void headerAndStartupOneByteAtATime() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        for (byte b : concat(ProxyHeaders.v2(LONDON, 1, "10.0.0.1", 2), startup())) {
            ch.writeInbound(in.buf(new byte[] {b}));
        }
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void headerAloneThenStartupLater() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(ProxyHeaders.v1(LONDON, 1, "10.0.0.1", 2)));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.writeInbound(in.buf(startup()));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void localCommandKeepsTheConnectionsOwnAddress() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v2Local(), startup())));
        // An EmbeddedChannel's peer is not an IP address: nothing to locate by.
        assertThat(ClientAddresses.of(ch)).isNull();
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v1UnknownAndUnixSourcesCarryNoAddress() {
        for (byte[] header : List.of(ProxyHeaders.v1Unknown(), ProxyHeaders.v2Unix("/run/lb.sock"))) {
            EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
            ch.writeInbound(in.buf(concat(header, startup())));
            assertThat(ClientAddresses.of(ch)).isNull();
            assertStartupPassedAndPhaseLeft(ch);
        }
    }

    @Test
    void optionalWithoutHeaderPassesEverythingOnAtOnce() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL);
        // 8 bytes, fewer than a v2 signature: decided on the first byte, not kept waiting.
        ch.writeInbound(in.buf(sslRequest()));
        assertThat(ch.<Object>readInbound()).isSameAs(SslRequest.INSTANCE);
        assertThat(ClientAddresses.of(ch)).isNull();
        ch.writeInbound(in.buf(startup()));
        assertStartupPassedAndPhaseLeft(ch);
    }
}
