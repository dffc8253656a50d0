package dev.meridian.proxy.session;

import dev.meridian.proxy.pooling.QueryTracker;
import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.codec.MessageScanner;
import dev.meridian.protocol.message.BackendMessage;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.pool.BackendPool;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.config.LimitsConfig;
import dev.meridian.proxy.config.Units;
import dev.meridian.proxy.metrics.SessionMeters;
import dev.meridian.proxy.ops.SessionTally;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay phase: bytes flow both ways unchanged. Each receive buffer is forwarded whole
 * (no copy, no re-encoding); a {@link MessageScanner} per direction only watches message
 * boundaries and types. That is enough to keep the client's Terminate from reaching a pooled
 * backend, to know whether the backend is idle when the client leaves (then it goes back to the
 * pool), and to tell the client why when the backend vanishes.
 *
 * <p>Both channels share one event loop, so this state needs no synchronisation.
 */
final class RelaySession {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySession.class);
    static final String RELAY = "relay";
    private static final int NO_CUT = Integer.MIN_VALUE;

    private final long sessionId;
    private final Channel client;
    private final Channel backend;
    private final PooledConnection lease;
    private final BackendPool pool;
    private final Runnable onEnd;
    private final SessionMeters meters;
    /** SHOW STATS numbers: opaque stores on this loop, read by the admin console. */
    private final SessionTally tally;
    /** The backend's answer count, evidence of life for its health checks ({@code BackendActivity}). */
    private final LongAdder answers;
    private final QueryTracker tracker = new QueryTracker();
    /** Null when limits.idle_transaction_timeout is off. */
    private final IdleTransactionTimer idleTransaction;
    final MessageScanner fromClient;
    final MessageScanner fromBackend;
    private boolean clientTerminated;
    private boolean terminateStraddled;
    private int terminateCut = NO_CUT;
    private byte lastBackendType;
    private boolean ended;

    private RelaySession(long sessionId, Channel client, PooledConnection lease, BackendPool pool,
                         LimitsConfig limits, SessionMeters meters, SessionTally tally, LongAdder answers,
                         Runnable onEnd) {
        this.sessionId = sessionId;
        this.client = client;
        this.lease = lease;
        this.backend = lease.channel();
        this.pool = pool;
        this.onEnd = onEnd;
        this.meters = meters;
        this.tally = tally;
        this.answers = answers;
        this.fromClient = new MessageScanner(limits.clientMessageLimit(), this::onClientMessage);
        // A server's messages are not capped by the client-side limit: results may be large.
        this.fromBackend = new MessageScanner(Integer.MAX_VALUE, this::onBackendMessage);
        this.idleTransaction = IdleTransactionTimer.start(limits.idleTransactionTimeout(), client.eventLoop(), tracker::idleInTransaction,
                () -> idleInTransactionTooLong(limits));
    }

    /**
     * Replaces the setup-phase handlers on both channels with relay handlers and starts reading.
     * {@code meters} are the session's pre-bound metrics: fed from the scanners and reads, no lookups;
     * {@code answers} counts the backend's ReadyForQuery messages.
     */
    static void start(long sessionId, Channel client, PooledConnection lease, BackendPool pool, List<Frame> pending,
                      LimitsConfig limits, SessionMeters meters, SessionTally tally, LongAdder answers,
                      Runnable onEnd) {
        RelaySession s = new RelaySession(sessionId, client, lease, pool, limits, meters, tally, answers, onEnd);
        ChannelPipeline cp = client.pipeline();
        ChannelPipeline bp = s.backend.pipeline();
        cp.addLast(RELAY, new RelayHandler(s, s.backend, s.fromClient, true));
        bp.addLast(RELAY, new RelayHandler(s, client, s.fromBackend, false));
        for (Frame f : pending) {
            s.forwardFromClient(f.content());
        }
        // Removing the decoders hands any bytes they still buffer to the relay handlers.
        cp.remove(ClientPipeline.AUTH);
        cp.remove(ClientPipeline.DECODER);
        bp.remove(BackendConnector.DECODER);
        client.flush();
        s.backend.flush();
        client.read();
        s.backend.read();
    }

    /** Scans a client buffer and forwards it, up to (never including) a Terminate. */
    void forwardFromClient(ByteBuf buf) {
        if (clientTerminated) {
            buf.release();
            return;
        }
        meters.fromClient(buf.readableBytes());
        tally.received(buf.readableBytes());
        try {
            fromClient.scan(buf);
        } catch (ProtocolException e) {
            buf.release();
            throw e;
        }
        if (terminateCut == NO_CUT) {
            backend.write(buf, backend.voidPromise());
            return;
        }
        if (terminateCut > buf.readerIndex()) {
            backend.write(buf.retainedSlice(buf.readerIndex(), terminateCut - buf.readerIndex()), backend.voidPromise());
        }
        buf.release();
        terminateCut = NO_CUT;
        // PostgreSQL closes the connection after Terminate, and some clients wait for that:
        // Neon's serverless driver only closes its WebSocket once the server has.
        backend.flush();
        client.close();
    }

    private void onClientMessage(byte type, int length, int firstBodyByte) {
        meters.clientMessage(type);
        if (type == FrontendMessages.TERMINATE && !clientTerminated) {
            clientTerminated = true;
            int start = fromClient.messageStart();
            terminateStraddled = start < 0;
            terminateCut = start < 0 ? 0 : start;
        } else if (!clientTerminated) {
            tracker.clientSent(type);
            tally.clientMessage(type);
        }
    }

    private void onBackendMessage(byte type, int length, int firstBodyByte) {
        meters.backendMessage(type);
        lastBackendType = type;
        tracker.backendSent(type, firstBodyByte);
        if (type == BackendMessage.READY_FOR_QUERY) {
            answers.increment();
            tally.ready(firstBodyByte);
            if (idleTransaction != null) {
                idleTransaction.readyForQuery();
            }
        }
    }

    /** Bytes read from the backend, about to be forwarded to the client. */
    void fromBackend(int bytes) {
        meters.fromBackend(bytes);
        tally.sent(bytes);
    }

    long sessionId() {
        return sessionId;
    }

    /**
     * The client went away. An idle backend (nothing in flight, not in a transaction) goes back
     * to the pool, reset; any other is told Terminate (when at a boundary) and closed.
     */
    void clientClosed() {
        if (ended) {
            return;
        }
        boolean reusable = backend.isActive() && !terminateStraddled && fromClient.atBoundary()
                && fromBackend.atBoundary() && tracker.idle();
        if (reusable) {
            backend.pipeline().remove(RELAY);
        } else {
            terminateBackend();
        }
        end(reusable);
    }

    /** Tells the backend Terminate (when at a message boundary) and closes it: it is never pooled. */
    private void terminateBackend() {
        if (backend.isActive() && fromClient.atBoundary() && !terminateStraddled) {
            ByteBuf out = backend.alloc().buffer(5);
            FrontendMessages.terminate(out);
            backend.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            closeAfterFlush(backend);
        }
    }

    /**
     * limits.idle_transaction_timeout ran out: FATAL 25P03 to the client, as PostgreSQL's own
     * timeout says it, and the backend (whose transaction rolls back) is closed, never pooled.
     */
    private void idleInTransactionTooLong(LimitsConfig limits) {
        if (ended) {
            return;
        }
        String timeout = Units.formatDuration(limits.idleTransactionTimeout());
        LOG.info("session {}: idle in transaction for longer than {}, closing", sessionId, timeout);
        if (fromBackend.atBoundary()) {
            Refusals.fatal(client, SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                    "terminating connection due to idle-in-transaction timeout (limits.idle_transaction_timeout: "
                            + timeout + ")");
        } else {
            client.close();
        }
        terminateBackend();
        end(false);
    }

    /**
     * The backend went away. Unless the client asked for it or the backend already said why
     * (a FATAL ErrorResponse), tell the client with an ErrorResponse, if that can be inserted
     * at a message boundary without corrupting its stream.
     */
    void backendClosed() {
        if (ended) {
            return;
        }
        if (client.isActive() && !clientTerminated && lastBackendType != BackendMessage.ERROR_RESPONSE
                && fromBackend.atBoundary()) {
            ByteBuf out = client.alloc().buffer();
            ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, "connection to backend \"" + lease.backend().name()
                    + "\" lost").encode(out);
            client.write(out, client.voidPromise());
        }
        closeAfterFlush(client);
        end(false);
    }

    /** A client message broke the protocol (e.g. over the size limit): refuse it and end both sides. */
    void clientViolation(ProtocolException e) {
        if (fromBackend.atBoundary()) {
            Refusals.fatal(client, e.sqlState(), e.getMessage());
        } else {
            client.close();
        }
        backend.close();
        end(false);
    }

    /** Drain time is over: 57P01 to the client (at a message boundary), then both sides close. */
    void shutdown() {
        if (fromBackend.atBoundary()) {
            Refusals.fatal(client, Shutdown.SQLSTATE, Shutdown.MESSAGE);
        } else {
            client.close();
        }
        backend.close();
        end(false);
    }

    void closeBoth() {
        client.close();
        backend.close();
        end(false);
    }

    private static void closeAfterFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void end(boolean reusable) {
        if (!ended) {
            ended = true;
            if (idleTransaction != null) {
                idleTransaction.stop();
            }
            pool.release(lease, reusable);
            onEnd.run();
        }
    }
}
