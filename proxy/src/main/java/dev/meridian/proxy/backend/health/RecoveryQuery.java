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
    /**
     * The role, then (for fencing, {@link ServerFacts}) the cluster's system identifier when the
     * user may read it, a primary's timeline (the first 8 hex digits of its current WAL file
     * name), the connection limits, and the WAL position (a primary's current one, a replica's replayed
     * one) with a replica's last replayed commit time, for replica lag (docs/read-routing.md). Nothing
     * here needs a privilege a login lacks.
     */
    static final String SQL = "SELECT pg_is_in_recovery(), CASE WHEN has_function_privilege("
            + "'pg_control_system()', 'EXECUTE') THEN (SELECT system_identifier::text FROM pg_control_system()) END, "
            + "CASE WHEN pg_is_in_recovery() THEN NULL ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END, "
            + "current_setting('max_connections'), current_setting('superuser_reserved_connections'), "
            + "(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text, "
            + "extract(epoch FROM pg_last_xact_replay_timestamp())::text";

    private final Promise<ProbeResult> promise;
    private final Boolean superuser;
    private long sentAt;
    private BackendRole role;
    private ServerFacts facts;

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
                List<String> columns = DataRow.decodeText(f.body());
                role = inRecovery(columns) ? BackendRole.REPLICA : BackendRole.PRIMARY;
                facts = ServerFacts.of(columns);
            } else if (msg instanceof ErrorResponse e) {
                finish(ctx, ProbeResult.failed("health query failed: " + e));
            } else if (msg instanceof ReadyForQuery) {
                Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
                finish(ctx, role == null ? ProbeResult.failed("health query returned no row")
                        : ProbeResult.passed(role, rtt, superuser, facts));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The first (boolean) column of the DataRow, as text: 't' or 'f'. */
    static boolean inRecovery(ByteBuf dataRow) {
        return inRecovery(DataRow.decodeText(dataRow));
    }

    private static boolean inRecovery(List<String> columns) {
        if (columns.isEmpty() || columns.get(0) == null) {
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
