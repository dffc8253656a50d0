package dev.meridian.proxy.edge;

import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.pool.BackendPool;
import dev.meridian.proxy.backend.pool.PooledConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link SqlPlan} on a borrowed pooled connection, then gives the connection back.
 *
 * <pre>
 * Meridian                               backend
 *   Parse/Bind/Describe/Execute ... Sync ─▶
 *                                      ◀─  results ... ReadyForQuery
 *   [ROLLBACK, when a batch failed inside its transaction] ─▶ ◀─ ReadyForQuery I
 * </pre>
 * The connection goes back to the pool (which resets it, as for any session) only when it is
 * idle at the end; a connection that broke or could not be brought back to idle is closed.
 * Past {@code edge.limits.request_timeout} the running statement is cancelled with the
 * backend's cancel key; its 57014 error then becomes the answer.
 */
final class SqlExchange extends ChannelInboundHandlerAdapter {
    static final String NAME = "edge-sql";

    /** @param broken the connection failed mid-request: no result is complete */
    record Outcome(ResultCollector collector, boolean broken) {
    }

    private final PooledConnection lease;
    private final BackendPool pool;
    private final BackendConnector connector;
    private final List<SqlPlan.Step> steps;
    private final ResultCollector collector;
    private final Promise<Outcome> done;
    private ScheduledFuture<?> timer;
    private boolean rollingBack;
    private int syncsLeft;

    SqlExchange(PooledConnection lease, BackendPool pool, BackendConnector connector, List<SqlPlan.Step> steps,
                long maxResponseBytes) {
        this.lease = lease;
        this.pool = pool;
        this.connector = connector;
        this.steps = steps;
        this.collector = new ResultCollector(steps, maxResponseBytes);
        this.syncsLeft = SqlPlan.syncs(steps);
        this.done = lease.channel().eventLoop().newPromise();
    }

    Future<Outcome> run(Duration timeout) {
        Channel ch = lease.channel();
        ch.pipeline().addAfter(BackendConnector.DECODER, NAME, this);
        ByteBuf out = ch.alloc().buffer();
        SqlPlan.encode(out, steps);
        ch.writeAndFlush(out);
        ch.read();
        timer = ch.eventLoop().schedule(this::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return done;
    }

    private void cancel() {
        if (!done.isDone() && lease.keyData() != null) {
            connector.cancel(lease.channel().eventLoop(), lease.backend(), lease.keyData().toCancelRequest());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ReadyForQuery rfq) {
                onReady(ctx, rfq);
            } else if (rollingBack) {
                return;
            } else if (msg instanceof ErrorResponse e) {
                collector.onError(e);
            } else if (msg instanceof Frame frame) {
                collector.onMessage(frame.type(), frame.body());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onReady(ChannelHandlerContext ctx, ReadyForQuery rfq) {
        if (--syncsLeft > 0) {
            return; // the answer to a later Sync of the same flight (SqlPlan.LSN) is still coming
        }
        if (rfq == ReadyForQuery.IDLE) {
            finish(ctx, true, false);
        } else if (!rollingBack) {
            // A batch failed inside BEGIN: end the transaction here rather than lose the connection.
            rollingBack = true;
            ByteBuf out = ctx.alloc().buffer();
            FrontendMessages.query(out, "ROLLBACK");
            ctx.writeAndFlush(out);
        } else {
            finish(ctx, false, false);
        }
    }

    private void finish(ChannelHandlerContext ctx, boolean reusable, boolean broken) {
        if (done.isDone()) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.pipeline().remove(this);
        pool.release(lease, reusable);
        done.setSuccess(new Outcome(collector, broken));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!done.isDone()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ctx, false, true);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
