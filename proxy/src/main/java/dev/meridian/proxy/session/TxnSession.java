package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.pooling.PreparedStatements;
import dev.meridian.proxy.pooling.ReplyPlan;
import dev.meridian.proxy.pooling.ServerStatements;
import dev.meridian.proxy.pooling.SessionSettings;
import dev.meridian.proxy.pooling.TransactionState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction-pooled session: the client keeps its socket; a backend connection is attached
 * when a request arrives and goes back to the {@code SharedPool} at ReadyForQuery 'I' with
 * nothing in flight ({@link TransactionState} decides). A pinned client keeps its connection
 * until the pin ends, as in session mode.
 *
 * <pre>
 * client frame ─▶ detached? queue it, acquire ─▶ attach: forward queue ─▶ TxnRequests ─▶ backend
 * backend bytes (any loop) ─▶ this loop ─▶ TxnReplies ─▶ client; releasable at 'Z' ─▶ detach
 * </pre>
 * Everything here runs on the client's event loop; backend reads are handed over to it.
 */
final class TxnSession {
    private static final Logger LOG = LoggerFactory.getLogger(TxnSession.class);

    private final TxnContext ctx;
    private final Channel client;
    private final TransactionState state;
    private final TxnRequests requests;
    private final TxnReplies replies;
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    private final IdleTransactionTimer idleTransaction;
    private PooledConnection conn;
    /** The prepared statements of {@code conn}. */
    private ServerStatements server;
    private Future<PooledConnection> acquiring;
    private long waitStart;
    private boolean ended;

    TxnSession(TxnContext ctx, Channel client) {
        this.ctx = ctx;
        this.client = client;
        this.state = new TransactionState(ctx.maxPreparedStatements() > 0);
        ReplyPlan plan = new ReplyPlan();
        this.requests = new TxnRequests(ctx, state, new PreparedStatements(plan, ctx::preparedStatement));
        this.idleTransaction = IdleTransactionTimer.start(ctx.limits().idleTransactionTimeout(), client.eventLoop(),
                state::idleInTransaction, () -> ctx.idleInTransactionTooLong(this));
        this.replies = new TxnReplies(ctx, state, idleTransaction, plan, client);
    }

    long sessionId() {
        return ctx.sessionId();
    }

    Channel client() {
        return client;
    }

    /**
     * Replaces the setup phase with the transaction relay: the frontend decoder stays (whole
     * messages are needed to read Query and Parse text).
     */
    static TxnSession begin(TxnContext ctx, Channel client, PooledConnection first, List<Frame> pending) {
        TxnSession s = new TxnSession(ctx, client);
        client.pipeline().addAfter(ClientPipeline.AUTH, RelaySession.RELAY, new TxnClientHandler(s));
        client.pipeline().remove(ClientPipeline.AUTH);
        s.start(first, pending);
        return s;
    }

    /** Takes the first connection (the one the client was greeted from) and the frames sent meanwhile. */
    private void start(PooledConnection first, List<Frame> pending) {
        attach(first, false);
        pending.forEach(this::clientFrame);
        flushBackend();
        client.flush(); // the greeting
        replies.releaseDue(state.releasable());
        detachIfDone();
        client.read();
    }

    void clientFrame(Frame f) {
        if (ended) {
            f.release();
            return;
        }
        if (f.type() == 'X') { // Terminate: never reaches a pooled backend
            f.release();
            clientClosed();
            client.close();
            return;
        }
        if (conn == null) {
            queued.add(f);
            if (acquiring == null) {
                acquire();
            }
            return;
        }
        if (forward(f)) {
            detachIfDone(); // a request Meridian answered itself may have ended the transaction
        }
    }

    /** Returns true when Meridian answered something itself (written and flushed). */
    private boolean forward(Frame f) {
        requests.send(f, conn.channel(), server);
        if (replies.writeSynths()) {
            client.flush();
            return true;
        }
        return false;
    }

    void clientReadComplete() {
        if (conn != null) {
            flushBackend();
            if (conn.channel().isWritable()) {
                client.read();
            }
        } else if (queued.isEmpty() && !ended) {
            client.read();
        }
    }

    private void flushBackend() {
        if (conn != null) {
            conn.channel().flush();
        }
    }

    private void acquire() {
        waitStart = System.nanoTime();
        acquiring = ctx.pool().acquire(client.eventLoop(), ctx.credentials(), ctx.limits().queryWaitTimeout());
        acquiring.addListener(f -> {
            acquiring = null;
            if (f.isCancelled()) {
                return;
            }
            if (!f.isSuccess()) {
                failedToAcquire(f.cause());
                return;
            }
            PooledConnection c = (PooledConnection) f.getNow();
            if (ended) {
                ctx.pool().release(c, true);
                return;
            }
            ctx.waited(System.nanoTime() - waitStart);
            attach(c, true);
        });
    }

    private void failedToAcquire(Throwable cause) {
        if (!ended) {
            String[] refusal = TxnRefusal.of(sessionId(), ctx.pool().backend().name(), cause);
            end(refusal[0], refusal[1]);
        }
    }

    private void attach(PooledConnection c, boolean forwardQueued) {
        conn = c;
        replies.releaseDue(false);
        java.util.Map<String, String> applied = ctx.attached(this, c);
        server = ctx.statementsOn(c);
        java.util.Map<String, String> wanted = state.settings();
        if (!applied.equals(wanted)) {
            // Pipelined before the client's own messages; its answer is swallowed (ReplySkipper).
            c.channel().write(Texts.query(c.channel().alloc(), SessionSettings.replay(wanted)), c.channel().voidPromise());
            replies.expectReplay();
        }
        boolean answered = false;
        while (forwardQueued && !queued.isEmpty()) {
            answered |= forward(queued.poll());
        }
        flushBackend();
        c.channel().read();
        client.read();
        if (answered) {
            detachIfDone();
        }
    }

    /** Bytes from the attached backend, on its loop: handed over to the client's loop. */
    void backendRead(PooledConnection from, ByteBuf buf) {
        if (!client.eventLoop().inEventLoop()) {
            client.eventLoop().execute(() -> backendRead(from, buf));
            return;
        }
        if (ended || from != conn) {
            buf.release();
            return;
        }
        switch (replies.read(buf)) {
            case READ -> detachIfDone();
            case REPLAY_FAILED -> {
                LOG.warn("session {}: restoring the session's settings on a pooled connection failed", sessionId());
                end(SqlState.CONNECTION_FAILURE, "could not restore this session's settings on a pooled backend connection");
            }
            case VIOLATION -> {
                LOG.warn("session {}: backend protocol violation", sessionId());
                end(SqlState.PROTOCOL_VIOLATION, "backend protocol violation");
            }
        }
    }

    private void detachIfDone() {
        if (conn != null && replies.releaseDue() && state.releasable() && replies.settled()) {
            PooledConnection c = conn;
            conn = null;
            replies.releaseDue(false);
            ctx.detached(c, state.settings());
            client.flush();
            ctx.pool().release(c, true);
            client.read();
        }
    }

    void backendReadComplete(PooledConnection from) {
        if (!client.eventLoop().inEventLoop()) {
            client.eventLoop().execute(() -> backendReadComplete(from));
            return;
        }
        client.flush();
        if (from == conn && client.isWritable()) {
            from.channel().read();
        }
    }

    void backendWritable() {
        client.eventLoop().execute(() -> {
            if (conn != null && !ended) {
                client.read();
            }
        });
    }

    void clientWritable() {
        if (conn != null) {
            conn.channel().read();
        }
    }

    void backendClosed(PooledConnection from) {
        client.eventLoop().execute(() -> {
            if (from == conn && !ended) {
                end(SqlState.CONNECTION_FAILURE, "connection to backend \"" + from.backend().name() + "\" lost");
            }
        });
    }

    /** Drain time is over: 57P01, then both sides close. */
    void shutdown() {
        end(Shutdown.SQLSTATE, Shutdown.MESSAGE);
    }

    void clientClosed() {
        end(null, null);
    }

    /**
     * Ends the session: FATAL {@code sqlState} to the client when given and at a message boundary.
     * The connection goes back when idle and unpinned, is reset first when pinned, else closed.
     */
    void end(String sqlState, String message) {
        if (ended) {
            return;
        }
        ended = true;
        if (idleTransaction != null) {
            idleTransaction.stop();
        }
        queued.forEach(Frame::release);
        queued.clear();
        requests.release();
        if (acquiring != null) {
            acquiring.cancel(false);
        }
        if (sqlState != null && replies.atBoundary()) {
            Refusals.fatal(client, sqlState, message);
        } else {
            client.close();
        }
        PooledConnection c = conn;
        conn = null;
        if (c != null) {
            ctx.detached(c, state.settings());
            boolean clean = state.idle() && replies.settled() && c.channel().isActive();
            if (clean && state.pinned()) {
                ctx.pool().retire(c);
            } else {
                ctx.pool().release(c, clean);
            }
        }
        ctx.ended();
    }

    boolean pinned() {
        return state.pinned();
    }

    String pinText() {
        return state.pinText();
    }

    /** The pin reasons ("" when not pinned), from any thread: SHOW CLIENTS. */
    String pinShown() {
        return state.pinShown();
    }
}
