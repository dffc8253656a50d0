package dev.meridian.proxy.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches one aggregated HTTP request to its route; keep-alive as the client asks. */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final Map<String, AdminRoute> routes;

    AdminHttpHandler(Map<String, AdminRoute> routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        AdminRoute route = routes.get(uri.path());
        AdminResponse answer;
        if (!req.decoderResult().isSuccess()) {
            answer = AdminResponse.text(400, "bad request\n");
        } else if (route == null) {
            answer = AdminResponse.text(404, "not found\n");
        } else {
            try {
                answer = route.handle(new AdminRequest(req.method().name(), uri.path(), uri.parameters(),
                        req.headers().get(HttpHeaderNames.ACCEPT, "")));
            } catch (RuntimeException e) {
                LOG.error("admin route {} failed", uri.path(), e);
                answer = AdminResponse.text(500, "internal error\n");
            }
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        HttpUtil.setContentLength(res, answer.body().length);
        // After a request we could not parse (too long, malformed) the stream is not trusted further.
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection error: {}", cause.toString());
        ctx.close();
    }
}
