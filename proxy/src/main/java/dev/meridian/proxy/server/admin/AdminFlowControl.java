package dev.meridian.proxy.server.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin request at a time per connection, and reading only when its answer has left: the
 * channel does not auto-read; the next request is dispatched (and the socket read again) only
 * once the previous response is written to the socket, so a client that never reads can make us
 * hold at most one answer, never an unbounded outbound queue. A client that sends more than
 * {@link AdminLimits#maxPipelined()} requests in one read, or has more outstanding, is closed;
 * so is one that takes longer than {@link AdminLimits#requestTimeout()} to send a request or to
 * take an answer (a half-sent request, a reader that never reads).
 *
 * <pre>
 * read ─▶ request ─▶ route ─▶ response written ─▶ next queued request | read again
 * </pre>
 */
final class AdminFlowControl extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdminFlowControl.class);

    private final AdminLimits limits;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean answering;
    private int readThisBatch;
    private boolean closed;
    private ScheduledFuture<?> deadline;

    AdminFlowControl(AdminLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed || !(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (++readThisBatch > limits.maxPipelined() || queued.size() >= limits.maxPipelined()) {
            request.release();
            LOG.debug("admin client {}: more than {} pipelined requests, closed", ctx.channel().remoteAddress(),
                    limits.maxPipelined());
            close(ctx);
            return;
        }
        if (answering) {
            queued.add(request);
            return;
        }
        dispatch(ctx, request);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        answering = true;
        ctx.fireChannelRead(request);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readThisBatch = 0;
        if (!answering && !closed) {
            ctx.read(); // a request still incomplete: its remaining bytes
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().code() >= 200) { // not a 100 Continue
            promise.addListener((ChannelFuture f) -> answered(ctx, f));
        }
        ctx.write(msg, promise);
    }

    /** The answer is in the socket (or failed): the next request, else read again. */
    private void answered(ChannelHandlerContext ctx, ChannelFuture written) {
        answering = false;
        if (!written.isSuccess() || closed || !ctx.channel().isActive()) {
            close(ctx);
            return;
        }
        arm(ctx);
        FullHttpRequest next = queued.poll();
        if (next != null) {
            dispatch(ctx, next);
        } else {
            ctx.read();
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = ctx.executor().schedule(() -> {
            LOG.debug("admin client {}: no complete request or answer taken within {} ms, closed",
                    ctx.channel().remoteAddress(), limits.requestTimeout().toMillis());
            close(ctx);
        }, limits.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void close(ChannelHandlerContext ctx) {
        closed = true;
        releaseQueued();
        ctx.close();
    }

    private void releaseQueued() {
        FullHttpRequest r;
        while ((r = queued.poll()) != null) {
            r.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        releaseQueued();
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseQueued();
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
