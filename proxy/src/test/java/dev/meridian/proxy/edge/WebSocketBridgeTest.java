package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketBridgeTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void binaryFramesBecomeTheirBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketBridge());
        ch.writeInbound(new BinaryWebSocketFrame(bytes("Q\0\0\0\5x")));
        ByteBuf in = ch.readInbound();
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("Q\0\0\0\5x");
        in.release();
        assertFalse(ch.finish());
    }

    @Test
    void outgoingBytesTravelAsOneBinaryFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketBridge());
        ch.writeOutbound(bytes("Z\0\0\0\5I"));
        BinaryWebSocketFrame out = ch.readOutbound();
        assertThat(out.content().toString(StandardCharsets.US_ASCII)).isEqualTo("Z\0\0\0\5I");
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void textFramesAreRefusedWithClose1003() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketBridge());
        ch.writeInbound(new TextWebSocketFrame("select 1"));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1003);
        close.release();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }

    @Test
    void pingsAreAnsweredAndACloseIsEchoed() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketBridge());
        ch.writeInbound(new PingWebSocketFrame(bytes("hi")));
        PongWebSocketFrame pong = ch.readOutbound();
        assertThat(pong.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        pong.release();
        ch.writeInbound(new CloseWebSocketFrame(1000, "bye"));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1000);
        close.release();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }
}
