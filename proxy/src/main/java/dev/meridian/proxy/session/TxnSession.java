package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.pooling.PreparedStatements;
import dev.meridian.proxy.pooling.ReplyPlan;
import dev.meridian.proxy.pooling.TransactionState;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A transaction-pooled session: the client keeps its socket; a backend connection is attached
 * when a request arrives and goes back to the {@code SharedPool} at ReadyForQuery 'I' with
 * nothing in flight ({@link TransactionState} decides). A pinned client keeps its connection
 * until the pin ends, as in session mode. This class takes the client's frames and ends the
 * session; its parts do the rest:
 *
 * <pre>
 * client frame ─▶ detached? queue it, acquire ─▶ TxnBackendLink.attach: forward queue ─▶ TxnRequests ─▶ backend
 * backend bytes (any loop) ─▶ TxnBackendEvents: this loop ─▶ TxnReplies ─▶ client; releasable at 'Z' ─▶ detach
 * target: auto ─▶ TxnReadRouting: each unit routed, causal wait, 25006 re-run, position after writes
 * </pre>
 * Everything here runs on the client's event loop; backend reads are handed over to it.
 */
final class TxnSession {
    private final TxnContext ctx;
    private final Channel client;
    private final TransactionState state;
    private final TxnRequests requests;
    private final TxnReplies replies;
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    private final IdleTransactionTimer idleTransaction;
    /** target: auto only (else null): per-unit routing, and the write position after write units. */
    private final TxnReadRouting routing;
    /** The attached backend's events, brought over from its loop. */
    private final TxnBackendEvents backend;
    /** The backend connection held (acquire, attach, detach). */
    private final TxnBackendLink link;
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
        this.routing = ctx.reads() == null ? null : new TxnReadRouting(this, ctx.reads(),
                new TxnSafetyNet(this, ctx.reads(), replies, requests));
        this.link = new TxnBackendLink(this, ctx, client, state, replies);
        this.backend = new TxnBackendEvents(this, client, replies);
    }

    long sessionId() {
        return ctx.sessionId();
    }

    Channel client() {
        return client;
    }

    TxnContext ctx() {
        return ctx;
    }

    TransactionState state() {
        return state;
    }

    ArrayDeque<Frame> queued() {
        return queued;
    }

    TxnReadRouting routing() {
        return routing;
    }

    TxnBackendLink link() {
        return link;
    }

    PooledConnection conn() {
        return link.conn();
    }

    boolean ended() {
        return ended;
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
        link.attach(first, false);
        if (routing != null) {
            routing.startedOnPrimary();
        }
        pending.forEach(this::clientFrame);
        link.flush();
        client.flush(); // the greeting
        replies.releaseDue(state.releasable());
        link.detachIfDone();
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
        if (link.conn() == null || routing != null && routing.holds()) {
            queued.add(f);
            if (link.conn() == null && !link.acquiring() && (routing == null || AutoUnits.ends(queued))) {
                acquire();
            }
            return;
        }
        if (forward(f)) {
            link.detachIfDone(); // a request Meridian answered itself may have ended the transaction
        }
    }

    /** Returns true when Meridian answered something itself (written and flushed). */
    boolean forward(Frame f) {
        if (routing != null) {
            routing.forwarded(f);
        }
        requests.send(f, link.conn().channel(), link.server());
        if (replies.writeSynths()) {
            client.flush();
            if (routing != null) {
                routing.net().answeredHere();
            }
            return true;
        }
        return false;
    }

    void clientReadComplete() {
        PooledConnection conn = link.conn();
        if (conn != null) {
            link.flush();
            if (conn.channel().isWritable()) {
                client.read();
            }
        } else if (!ended && queuedBytes() < client.config().getWriteBufferHighWaterMark()) {
            // Waiting for a connection: reading on while little is queued keeps EPOLLIN on the
            // socket (no read pending would take it off, and attach() would put it back: two
            // epoll_ctl calls per transaction that waited); the queue stays bounded.
            client.read();
        }
    }

    private long queuedBytes() {
        long bytes = 0;
        for (Frame f : queued) {
            bytes += f.content().readableBytes();
        }
        return bytes;
    }

    private void acquire() {
        if (routing != null) {
            routing.acquire();
        } else {
            link.acquireFrom(ctx.pool());
        }
    }

    /** The attached backend's events, from its loop. */
    TxnBackendEvents backend() {
        return backend;
    }

    void clientWritable() {
        if (link.conn() != null) {
            link.conn().channel().read();
        }
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
        if (routing != null) {
            routing.net().discard();
        }
        requests.release();
        link.cancelAcquire();
        if (sqlState != null && replies.atBoundary()) {
            Refusals.fatal(client, sqlState, message);
        } else {
            client.close();
        }
        link.end(state.idle() && replies.settled() && (routing == null || routing.idle()));
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
