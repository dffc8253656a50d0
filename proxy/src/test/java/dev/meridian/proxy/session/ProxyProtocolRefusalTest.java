package dev.meridian.proxy.session;

import static dev.meridian.proxy.session.ProxyHeaders.concat;
import static dev.meridian.proxy.session.ProxyPhaseChannel.channel;
import static dev.meridian.proxy.session.ProxyPhaseChannel.refusal;
import static dev.meridian.proxy.session.ProxyPhaseChannel.startup;
import static dev.meridian.proxy.session.ProxyPhaseChannel.withStartupPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.proxy.config.ProxyProtocol;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the PROXY protocol phase refuses: a missing header when one is required (08P01, the
 * client can read it), a malformed header (closed without an answer: the peer is a load
 * balancer), and, with the protocol off, any header at all (an invalid startup length).
 */
class ProxyProtocolRefusalTest {
    private static final String LONDON = "81.2.69.142";
    private final ProxyPhaseChannel in = new ProxyPhaseChannel();

    @AfterEach
    void everyInputReleased() {
        in.assertEveryInputReleased();
    }

    @Test
    void requiredWithoutHeaderIsRefusedWith08P01() {
        EmbeddedChannel ch = withStartupPhase(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(startup()));
        ErrorResponse e = refusal(ch);
        assertThat(e.severity()).isEqualTo("FATAL");
        assertThat(e.sqlState()).isEqualTo("08P01");
        assertThat(e.message()).isEqualTo("a PROXY protocol header is required on this port");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.<Object>readInbound()).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void requiredDecidesOnTheFirstByte() {
        EmbeddedChannel ch = withStartupPhase(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(new byte[] {0}));
        assertThat(refusal(ch).sqlState()).isEqualTo("08P01");
        assertFalse(ch.finish());
    }

    @Test
    void malformedV1HeaderClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        byte[] header = "PROXY TCP4 999.2.69.142 10.0.0.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII);
        ch.writeInbound(in.buf(concat(header, startup())));
        assertClosedSilently(ch);
    }

    @Test
    void malformedV2HeaderClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v2(0x31, 0x11, new byte[12]), startup())));
        assertClosedSilently(ch);
    }

    @Test
    void overlongV1HeaderClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(in.buf(("PROXY TCP4 " + "1".repeat(200)).getBytes(StandardCharsets.US_ASCII)));
        assertClosedSilently(ch);
    }

    private static void assertClosedSilently(EmbeddedChannel ch) {
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ClientAddresses.of(ch)).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void offInstallsNothingAndAHeaderIsAnInvalidStartupLength() {
        for (byte[] header : List.of(ProxyHeaders.v1(LONDON, 1, "10.0.0.1", 2), ProxyHeaders.v2(LONDON, 1, "10.0.0.1", 2))) {
            EmbeddedChannel ch = channel(ProxyProtocol.OFF);
            assertThat(ch.pipeline().names()).doesNotContain(ProxyProtocolHandler.NAME);
            assertThatThrownBy(() -> ch.writeInbound(in.buf(concat(header, startup()))))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("invalid length of startup packet");
            assertFalse(ch.finish());
        }
    }

    @Test
    void offClosesOnAHeaderWithoutAnAnswerAsPostgresDoes() {
        EmbeddedChannel ch = withStartupPhase(ProxyProtocol.OFF);
        ch.writeInbound(in.buf(concat(ProxyHeaders.v1(LONDON, 1, "10.0.0.1", 2), startup())));
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }
}
