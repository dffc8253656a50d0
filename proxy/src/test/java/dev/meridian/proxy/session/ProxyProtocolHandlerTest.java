package dev.meridian.proxy.session;

import static dev.meridian.proxy.session.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.FrontendDecoder;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.SslRequest;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.ProxyProtocol;
import dev.meridian.proxy.routing.ClientAddress;
import dev.meridian.proxy.server.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PROXY protocol phase on an EmbeddedChannel: one behaviour per test, every buffer released. */
class ProxyProtocolHandlerTest {
    private static final String LONDON = "81.2.69.142";
    private static final String JAPAN = "2001:218::7";
    private final List<ByteBuf> inputs = new ArrayList<>();

    /** Whoever touched the input last released it: the decoders, never the test. */
    @AfterEach
    void everyInputReleased() {
        assertThat(inputs).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    private ByteBuf buf(byte[] bytes) {
        ByteBuf b = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        inputs.add(b);
        return b;
    }

    /** The phase in front of the PostgreSQL decoder, as ClientPipeline builds it. */
    private static EmbeddedChannel channel(ProxyProtocol mode) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProxyProtocolHandler.install(ch.pipeline(), mode);
        ch.pipeline().addLast(ClientPipeline.DECODER, new FrontendDecoder(1 << 20));
        return ch;
    }

    /** The same with the startup phase behind it, to see refusals as the client does. */
    private static EmbeddedChannel withStartupPhase(ProxyProtocol mode) {
        EmbeddedChannel ch = channel(mode);
        var config = ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: 127.0.0.1 } ]
                databases: { "*": {} }
                """, Map.of(), null);
        Transport transport = Transport.best();
        var connector = new BackendConnector(transport, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1));
        ch.pipeline().addLast(ClientPipeline.STARTUP, new StartupHandler(new ProxyContext(config, transport, connector)));
        return ch;
    }

    private static byte[] startup() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "alice");
        params.put("database", "app");
        ByteBuf out = Unpooled.buffer();
        new StartupMessage(StartupMessage.PROTOCOL_3_0, params).encode(out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes).release();
        return bytes;
    }

    private static byte[] sslRequest() {
        return new byte[] {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F};
    }

    private static ClientAddress fromHeader(String ip) {
        return new ClientAddress(NetUtil.createInetAddressFromIpAddressString(ip), ClientAddress.Origin.PROXY_HEADER);
    }

    private static void assertStartupPassedAndPhaseLeft(EmbeddedChannel ch) {
        StartupMessage m = ch.readInbound();
        assertThat(m.user()).isEqualTo("alice");
        assertThat(ch.pipeline().names()).doesNotContain(ProxyProtocolHandler.NAME,
                ProxyProtocolHandler.HEADER_DECODER, ProxyProtocolHandler.HEADER_READER);
        assertFalse(ch.finish());
    }

    private static ErrorResponse refusal(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            assertThat((char) out.readByte()).isEqualTo('E');
            int length = out.readInt();
            return ErrorResponse.decode(out.readSlice(length - 4));
        } finally {
            out.release();
        }
    }

    @Test
    void v1Ipv4HeaderRecordsTheClientAndPassesTheStartup() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(concat(ProxyHeaders.v1(LONDON, 51000, "10.0.0.1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v1Ipv6Header() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(concat(ProxyHeaders.v1(JAPAN, 51000, "2001:db8::1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(JAPAN));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v2Ipv4Header() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(concat(ProxyHeaders.v2(LONDON, 51000, "10.0.0.1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v2Ipv6Header() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL);
        ch.writeInbound(buf(concat(ProxyHeaders.v2(JAPAN, 51000, "2001:db8::1", 5432), startup())));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(JAPAN));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void headerAndStartupOneByteAtATime() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        for (byte b : concat(ProxyHeaders.v2(LONDON, 1, "10.0.0.1", 2), startup())) {
            ch.writeInbound(buf(new byte[] {b}));
        }
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void headerAloneThenStartupLater() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(ProxyHeaders.v1(LONDON, 1, "10.0.0.1", 2)));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(buf(startup()));
        assertThat(ClientAddresses.of(ch)).isEqualTo(fromHeader(LONDON));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void localCommandKeepsTheConnectionsOwnAddress() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(concat(ProxyHeaders.v2Local(), startup())));
        // An EmbeddedChannel's peer is not an IP address: nothing to locate by.
        assertThat(ClientAddresses.of(ch)).isNull();
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void v1UnknownAndUnixSourcesCarryNoAddress() {
        for (byte[] header : List.of(ProxyHeaders.v1Unknown(), ProxyHeaders.v2Unix("/run/lb.sock"))) {
            EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
            ch.writeInbound(buf(concat(header, startup())));
            assertThat(ClientAddresses.of(ch)).isNull();
            assertStartupPassedAndPhaseLeft(ch);
        }
    }

    @Test
    void requiredWithoutHeaderIsRefusedWith08P01() {
        EmbeddedChannel ch = withStartupPhase(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(startup()));
        ErrorResponse e = refusal(ch);
        assertThat(e.severity()).isEqualTo("FATAL");
        assertThat(e.sqlState()).isEqualTo("08P01");
        assertThat(e.message()).isEqualTo("a PROXY protocol header is required on this port");
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void requiredDecidesOnTheFirstByteSoAnSslRequestIsNotKeptWaiting() {
        EmbeddedChannel ch = withStartupPhase(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(new byte[] {0}));
        assertThat(refusal(ch).sqlState()).isEqualTo("08P01");
        assertFalse(ch.finish());
    }

    @Test
    void optionalWithoutHeaderPassesEverythingOn() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL);
        ch.writeInbound(buf(sslRequest()));
        assertThat((Object) ch.readInbound()).isSameAs(SslRequest.INSTANCE);
        assertThat(ClientAddresses.of(ch)).isNull();
        ch.writeInbound(buf(startup()));
        assertStartupPassedAndPhaseLeft(ch);
    }

    @Test
    void malformedV1HeaderClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(concat("PROXY TCP4 999.2.69.142 10.0.0.1 1 2\r\n".getBytes(), startup())));
        assertClosedSilently(ch);
    }

    @Test
    void malformedV2HeaderClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.OPTIONAL);
        ch.writeInbound(buf(concat(ProxyHeaders.v2(0x31, 0x11, new byte[12]), startup())));
        assertClosedSilently(ch);
    }

    @Test
    void overlongV1HeaderClosesWithoutAnswer() {
        EmbeddedChannel ch = channel(ProxyProtocol.REQUIRED);
        ch.writeInbound(buf(("PROXY TCP4 " + "1".repeat(200)).getBytes()));
        assertClosedSilently(ch);
    }

    private static void assertClosedSilently(EmbeddedChannel ch) {
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ClientAddresses.of(ch)).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void offInstallsNothingAndAHeaderIsAnInvalidStartupLength() {
        for (byte[] header : List.of(ProxyHeaders.v1(LONDON, 1, "10.0.0.1", 2), ProxyHeaders.v2(LONDON, 1, "10.0.0.1", 2))) {
            EmbeddedChannel ch = channel(ProxyProtocol.OFF);
            assertThat(ch.pipeline().names()).doesNotContain(ProxyProtocolHandler.NAME);
            assertThatThrownBy(() -> ch.writeInbound(buf(concat(header, startup()))))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("invalid length of startup packet");
            assertFalse(ch.finish());
        }
    }

    @Test
    void offRefusesAHeaderWith08P01() {
        EmbeddedChannel ch = withStartupPhase(ProxyProtocol.OFF);
        ch.writeInbound(buf(concat(ProxyHeaders.v1(LONDON, 1, "10.0.0.1", 2), startup())));
        ErrorResponse e = refusal(ch);
        assertThat(e.sqlState()).isEqualTo("08P01");
        assertThat(e.message()).isEqualTo("invalid length of startup packet");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }
}
