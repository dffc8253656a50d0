package dev.meridian.proxy.backend.health;

import dev.meridian.protocol.message.DataRow;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.config.BackendRole;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.List;

/**
 * The second half of a probe, on a logged-in connection: asks whether the server is a standby,
 * times the round trip, then says Terminate and closes.
 *
 * <pre>
 * proxy                                    backend
 *   Query "SELECT pg_is_in_recovery()" ───▶
 *                                      ◀─── RowDescription, DataRow ('t' | 'f'), CommandComplete
 *                                      ◀─── ReadyForQuery          (round trip ends here)
 *   Terminate                          ───▶ close
 * </pre>
 * The backend decoder stays in front: control messages arrive as records, the rest as frames.
 */
final class RecoveryQuery extends ChannelInboundHandlerAdapter {
    static final String SQL = "SELECT pg_is_in_recovery()";

    private final Promise<ProbeResult> promise;
    private final Boolean superuser;
    private long sentAt;
    private BackendRole role;

    /** {@code superuser}: what the login said of its user (ParameterStatus is_superuser), null if nothing. */
    RecoveryQuery(Promise<ProbeResult> promise, Boolean superuser) {
        this.promise = promise;
        this.superuser = superuser;
    }

    RecoveryQuery(Promise<ProbeResult> promise) {
        this(promise, null);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        FrontendMessages.query(out, SQL);
        sentAt = System.nanoTime();
        ctx.writeAndFlush(out);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Frame f && f.type() == 'D') {
                role = inRecovery(f.body()) ? BackendRole.REPLICA : BackendRole.PRIMARY;
            } else if (msg instanceof ErrorResponse e) {
                finish(ctx, ProbeResult.failed("health query failed: " + e));
            } else if (msg instanceof ReadyForQuery) {
                Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
                finish(ctx, role == null ? ProbeResult.failed("health query returned no row")
                        : ProbeResult.passed(role, rtt, superuser));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The single boolean column of the DataRow, as text: 't' or 'f'. */
    static boolean inRecovery(ByteBuf dataRow) {
        List<String> columns = DataRow.decodeText(dataRow);
        if (columns.size() != 1 || columns.get(0) == null) {
            throw new IllegalArgumentException("unexpected row for " + SQL + ": " + columns);
        }
        return columns.get(0).equals("t");
    }

    /**
     * Ends the server's session politely, as psql would, then completes the probe (whose owner
     * closes the channel; by then the Terminate is written).
     */
    private void finish(ChannelHandlerContext ctx, ProbeResult result) {
        if (!promise.isDone() && ctx.channel().isActive()) {
            ByteBuf out = ctx.alloc().buffer(5);
            FrontendMessages.terminate(out);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
        promise.trySuccess(result);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!promise.isDone()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        promise.trySuccess(ProbeResult.failed("backend closed the connection during the health query"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        promise.trySuccess(ProbeResult.failed("health query failed: " + cause.getMessage()));
        ctx.close();
    }
}
