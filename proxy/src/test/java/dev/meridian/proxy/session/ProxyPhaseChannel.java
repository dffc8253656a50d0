package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.codec.FrontendDecoder;
import dev.meridian.protocol.message.ErrorResponse;
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

/**
 * EmbeddedChannels with the PROXY protocol phase in front of the PostgreSQL decoder, as
 * ClientPipeline builds them, and the input buffers they were fed, to check each was released.
 */
final class ProxyPhaseChannel {
    private final List<ByteBuf> inputs = new ArrayList<>();

    /** A leak-tracked direct buffer holding {@code bytes}. */
    ByteBuf buf(byte[] bytes) {
        ByteBuf b = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        inputs.add(b);
        return b;
    }

    /** Whoever touched an input last released it: the decoders, never the test. */
    void assertEveryInputReleased() {
        assertThat(inputs).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    static EmbeddedChannel channel(ProxyProtocol mode) {
        return channel(mode, true);
    }

    /** {@code trustedPeer}: whether the peer is inside {@code listen.proxy_protocol_from}. */
    static EmbeddedChannel channel(ProxyProtocol mode, boolean trustedPeer) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProxyProtocolHandler.install(ch.pipeline(), mode, trustedPeer);
        ch.pipeline().addLast(ClientPipeline.DECODER, new FrontendDecoder(1 << 20));
        return ch;
    }

    /** The same with the startup phase behind it, to see refusals as the client does. */
    static EmbeddedChannel withStartupPhase(ProxyProtocol mode) {
        EmbeddedChannel ch = channel(mode);
        var config = ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: 127.0.0.1 } ]
                databases: { "*": {} }
                """, Map.of(), null);
        Transport transport = Transport.best();
        var connector = new BackendConnector(transport, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1));
        ch.pipeline().addLast(ClientPipeline.STARTUP, new StartupHandler(new ProxyContext(config, transport, connector,
                dev.meridian.proxy.auth.UserDirectory.NONE, null,
                dev.meridian.proxy.backend.health.HealthMonitor.forConfig(config, transport, ch.eventLoop()))));
        return ch;
    }

    static byte[] startup() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "alice");
        params.put("database", "app");
        ByteBuf out = Unpooled.buffer();
        new StartupMessage(StartupMessage.PROTOCOL_3_0, params).encode(out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes).release();
        return bytes;
    }

    static byte[] sslRequest() {
        return new byte[] {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F};
    }

    static ClientAddress fromHeader(String ip) {
        return new ClientAddress(NetUtil.createInetAddressFromIpAddressString(ip), ClientAddress.Origin.PROXY_HEADER);
    }

    /** The startup packet came out of the decoder and the phase's handlers are gone. */
    static void assertStartupPassedAndPhaseLeft(EmbeddedChannel ch) {
        StartupMessage m = ch.readInbound();
        assertThat(m.user()).isEqualTo("alice");
        assertThat(ch.pipeline().names()).doesNotContain(ProxyProtocolHandler.NAME,
                ProxyProtocolHandler.HEADER_DECODER, ProxyProtocolHandler.HEADER_READER);
        assertThat(ch.finish()).isFalse();
    }

    /** The ErrorResponse the client was sent. */
    static ErrorResponse refusal(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            assertThat((char) out.readByte()).isEqualTo('E');
            int length = out.readInt();
            return ErrorResponse.decode(out.readSlice(length - 4));
        } finally {
            out.release();
        }
    }
}
