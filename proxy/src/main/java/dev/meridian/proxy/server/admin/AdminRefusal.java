package dev.meridian.proxy.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * The whole pipeline of an admin connection past {@link AdminLimits#maxConnections()}: a 503
 * with a JSON error (SQLSTATE 53300, as PostgreSQL says "too many clients"), then close,
 * without reading a byte of the request.
 */
@ChannelHandler.Sharable
final class AdminRefusal extends ChannelInboundHandlerAdapter {
    static final AdminRefusal INSTANCE = new AdminRefusal();

    private static final byte[] RESPONSE;

    static {
        String body = "{\"error\":\"too many admin connections\",\"code\":\"53300\"}\n";
        RESPONSE = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    private AdminRefusal() {
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }
}
