package dev.meridian.proxy.edge;

import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.readrouting.Lsn;
import dev.meridian.proxy.readrouting.WalPositions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The causal wait of one HTTP read (docs/read-routing.md, "Read-your-writes"): on a borrowed
 * replica connection, asks {@code pg_last_wal_replay_lsn()} every {@link #POLL_MILLIS} ms until
 * the replica has replayed the request's floor (true: the request runs on this connection) or
 * {@code health.causal_wait} is over (false: the connection went back to the pool, clean, and the
 * request goes to the primary). The polls are scheduled on the connection's loop; nothing blocks.
 *
 * <pre>
 * Meridian                                        replica
 *   Query SELECT pg_last_wal_replay_lsn()::text ─▶
 *                                               ◀─ DataRow X/Y, CommandComplete, ReadyForQuery
 *   (X/Y &lt; floor: again in 5 ms, until the deadline)
 * </pre>
 * A replica that answers NULL (not in recovery), an error, or closes ends the wait at once (false).
 */
final class ReplayWait extends ChannelInboundHandlerAdapter {
    static final String NAME = "edge-replay-wait";
    static final String SQL = "SELECT pg_last_wal_replay_lsn()::text";
    static final long POLL_MILLIS = 5;

    private final Channel channel;
    private final String backend;
    private final Consumer<Boolean> giveBack;
    private final WalPositions positions;
    private final long floor;
    private final long deadline;
    private final Promise<Boolean> done;
    private boolean asking;
    private boolean failed;
    private Long replayed;

    /**
     * @param channel  a pooled connection of {@code backend}, idle, its pipeline holding {@link BackendConnector#DECODER}
     * @param giveBack on a false outcome, gives the connection back: true when it is idle (reusable), false to close it
     */
    ReplayWait(Channel channel, String backend, Consumer<Boolean> giveBack, WalPositions positions, long floor,
               Duration wait) {
        this.channel = channel;
        this.backend = backend;
        this.giveBack = giveBack;
        this.positions = positions;
        this.floor = floor;
        this.deadline = System.nanoTime() + wait.toNanos();
        this.done = channel.eventLoop().newPromise();
    }

    /** True once the replica has replayed the floor (the connection is still the caller's); false: given back. */
    Future<Boolean> run() {
        channel.pipeline().addAfter(BackendConnector.DECODER, NAME, this);
        ask();
        return done;
    }

    private void ask() {
        Channel ch = channel;
        if (done.isDone()) {
            return;
        }
        if (!ch.isActive()) {
            finish(false, false);
            return;
        }
        asking = true;
        failed = false;
        replayed = null;
        ByteBuf out = ch.alloc().buffer();
        FrontendMessages.query(out, SQL);
        ch.writeAndFlush(out);
        ch.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ReadyForQuery rfq) {
                answered(rfq);
            } else if (msg instanceof ErrorResponse) {
                failed = true;
            } else if (msg instanceof Frame f && f.type() == 'D') {
                replayed = lsn(f.body());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The single text column of the DataRow, as a WAL position; null when NULL or not one. */
    private static Long lsn(ByteBuf row) {
        if (row.readUnsignedShort() != 1) {
            return null;
        }
        int len = row.readInt();
        return len < 0 ? null : Lsn.parseOrNull(row.readCharSequence(len, StandardCharsets.US_ASCII).toString());
    }

    private void answered(ReadyForQuery rfq) {
        asking = false;
        if (failed || rfq != ReadyForQuery.IDLE || replayed == null) {
            finish(false, rfq == ReadyForQuery.IDLE);
            return;
        }
        positions.replayed(backend, replayed);
        if (replayed >= floor) {
            finish(true, true);
        } else if (System.nanoTime() < deadline) {
            channel.eventLoop().schedule(this::ask, POLL_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            finish(false, true);
        }
    }

    /** @param reusable for a false outcome: the connection is idle and goes back to the pool, else it is closed */
    private void finish(boolean passed, boolean reusable) {
        if (done.isDone()) {
            return;
        }
        channel.pipeline().remove(this);
        if (!passed) {
            giveBack.accept(reusable);
        }
        done.setSuccess(passed);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (asking && !done.isDone()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(false, false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
