package dev.meridian.proxy.edge;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.config.EdgeConfig;
import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge connection's requests, one at a time (the next is read only after the answer is
 * written, so HTTP/1.1 pipelining keeps its order): CORS first, then a WebSocket upgrade on any
 * path, {@code POST /sql}, or 404.
 */
final class EdgeHttpHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "edge-http";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHttpHandler.class);

    private final EdgeServer edge;
    private boolean busy;

    EdgeHttpHandler(EdgeServer edge) {
        this.edge = edge;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        busy = true;
        long start = System.nanoTime();
        try {
            dispatch(ctx, request, start);
        } finally {
            request.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, long start) {
        EdgeConfig config = edge.config();
        String origin = Cors.origin(request);
        String path = request.uri().split("\\?", 2)[0];
        String endpoint = WebSocketUpgrade.isUpgrade(request) ? "websocket" : path.equals("/sql") ? "sql" : "other";
        if (!request.decoderResult().isSuccess()) {
            answer(ctx, request, HttpReplies.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST,
                    SqlState.PROTOCOL_VIOLATION, "malformed HTTP request"), endpoint, null, start);
        } else if (!Cors.allowed(config, origin)) {
            answer(ctx, request, HttpReplies.error(ctx.alloc(), HttpResponseStatus.FORBIDDEN,
                    SqlState.INVALID_AUTHORIZATION, "origin " + origin + " is not in edge.cors_origins"), endpoint, null, start);
        } else if (Cors.isPreflight(request)) {
            answer(ctx, request, Cors.preflight(origin), endpoint, null, start);
        } else if (endpoint.equals("websocket")) {
            ClientAddress client = ForwardedFor.locate(peer(ctx), config.trustedProxies(), request.headers()::get);
            edge.meters().answered(endpoint, 101, null, System.nanoTime() - start);
            new WebSocketUpgrade(edge).upgrade(ctx, request, client);
        } else if (endpoint.equals("sql") && request.method().equals(HttpMethod.POST)) {
            ClientAddress client = ForwardedFor.locate(peer(ctx), config.trustedProxies(), request.headers()::get);
            new SqlEndpoint(edge, ctx.channel(), request, client).run().addListener(f -> {
                SqlEndpoint.Answer a = (SqlEndpoint.Answer) f.getNow();
                Cors.decorate(a.response().headers(), origin);
                answer(ctx, request, a.response(), endpoint, a.backendRegion(), start);
            });
        } else {
            answer(ctx, request, HttpReplies.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND,
                    SqlState.PROTOCOL_VIOLATION, "no such endpoint: " + request.method() + " " + path
                            + " (POST /sql, or a WebSocket upgrade)"), endpoint, null, start);
        }
    }

    private static java.net.InetAddress peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** Writes the answer; keeps the connection for the next request unless either side asked to close. */
    private void answer(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, String endpoint,
                        String backendRegion, long start) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && response.status().code() != 413;
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        int status = response.status().code();
        ctx.writeAndFlush(response).addListener(f -> {
            edge.meters().answered(endpoint, status, backendRegion, System.nanoTime() - start);
            if (!keepAlive || !f.isSuccess()) {
                ctx.close();
                return;
            }
            busy = false;
            ctx.read();
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy) {
            ctx.read();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("edge connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
