package dev.meridian.proxy.edge;

import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * Turns an HTTP connection into a Postgres session over WebSocket. Neon's driver connects to
 * {@code wss://host/v2?address=host:port}; the path and {@code address} are ignored, because
 * Meridian routes by the startup packet's database like any TCP client. After the 101 the HTTP
 * handlers leave, {@link WebSocketBridge} unwraps frames, and the TCP session phases follow.
 *
 * <pre>
 * client                        Meridian
 *   GET /v2 Upgrade  ─────────▶  101 Switching Protocols
 *   [binary: startup, password, query]  ─▶  startup → cleartext auth → pool → relay
 * </pre>
 */
final class WebSocketUpgrade {
    private final EdgeServer edge;

    WebSocketUpgrade(EdgeServer edge) {
        this.edge = edge;
    }

    static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, ClientAddress client) {
        Channel ch = ctx.channel();
        String scheme = edge.proxy().clientTls() == null ? "ws://" : "wss://";
        int maxFrame = edge.proxy().config().limits().clientMessageLimit();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                scheme + request.headers().get(HttpHeaderNames.HOST) + request.uri(), null, false, maxFrame)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
            ch.close();
            return;
        }
        ctx.pipeline().remove(EdgeInitializer.AGGREGATOR);
        handshaker.handshake(ch, request).addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
                return;
            }
            // A Postgres session from here on: the relay reads only when the backend keeps up.
            ch.pipeline().remove(EdgeHttpHandler.NAME);
            ch.pipeline().addLast(WebSocketBridge.NAME, new WebSocketBridge());
            edge.sessions().adopt(ch, edge.passwords(), client);
            ch.pipeline().context(WebSocketBridge.NAME).fireChannelActive();
        });
    }
}
