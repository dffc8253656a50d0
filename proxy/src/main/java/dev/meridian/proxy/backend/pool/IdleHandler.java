package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a pooled connection between sessions. First it runs the reset query (DISCARD ALL by
 * default) and completes {@code reset} once the server answers ReadyForQuery idle; then it keeps
 * a read pending, so a server that goes away while idle is noticed at once and dropped from the
 * pool. ParameterStatus reports (RESET ALL restores the session defaults) update the values new
 * clients will be greeted with.
 */
final class IdleHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "pool-idle";
    private static final long RESET_TIMEOUT_MS = 5_000;

    private final PooledConnection connection;
    private final String resetQuery;
    private final Promise<Void> reset;
    private ScheduledFuture<?> resetTimer;
    private boolean resetFailed;

    IdleHandler(PooledConnection connection, String resetQuery, Promise<Void> reset) {
        this.connection = connection;
        this.resetQuery = resetQuery;
        this.reset = reset;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (resetQuery == null || resetQuery.isBlank()) {
            reset.trySuccess(null);
        } else {
            ByteBuf out = ctx.alloc().buffer();
            FrontendMessages.query(out, resetQuery);
            ctx.writeAndFlush(out);
            resetTimer = ctx.executor().schedule(() -> {
                if (reset.tryFailure(new IllegalStateException("reset query timed out"))) {
                    ctx.close();
                }
            }, RESET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ParameterStatus p) {
                connection.parameterChanged(p);
            } else if (msg instanceof ErrorResponse) {
                resetFailed = true;
            } else if (msg instanceof ReadyForQuery rfq && !reset.isDone()) {
                cancelTimer();
                if (rfq == ReadyForQuery.IDLE && !resetFailed) {
                    reset.trySuccess(null);
                } else {
                    reset.tryFailure(new IllegalStateException("reset query did not leave the session idle"));
                    ctx.close();
                }
            } else if (reset.isDone()) {
                // Nothing is expected from an idle server but goodbye (e.g. FATAL on shutdown).
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        reset.tryFailure(new IllegalStateException("backend closed the connection"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void cancelTimer() {
        if (resetTimer != null) {
            resetTimer.cancel(false);
        }
    }
}
