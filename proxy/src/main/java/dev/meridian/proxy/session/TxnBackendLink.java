package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.backend.pool.SharedPool;
import dev.meridian.proxy.pooling.ServerStatements;
import dev.meridian.proxy.pooling.SessionSettings;
import dev.meridian.proxy.pooling.TransactionState;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The backend connection a transaction-pooled session holds for a while: asked for from a
 * pool, attached (settings replayed, queued frames forwarded), and given back once
 * {@link TransactionState}, the replies and read routing all say it is done.
 *
 * <pre>
 * acquireFrom(pool) ─▶ attach: replay settings, forward queue ─▶ … ─▶ detachIfDone ─▶ pool
 * </pre>
 * Runs on the session's (client's) loop.
 */
final class TxnBackendLink {
    private final TxnSession s;
    private final TxnContext ctx;
    private final Channel client;
    private final TransactionState state;
    private final TxnReplies replies;
    /** The pool {@code conn} (or the connection being acquired) comes from. */
    private SharedPool pool;
    private PooledConnection conn;
    /** The prepared statements of {@code conn}. */
    private ServerStatements server;
    private Future<PooledConnection> acquiring;
    private long waitStart;

    TxnBackendLink(TxnSession s, TxnContext ctx, Channel client, TransactionState state, TxnReplies replies) {
        this.s = s;
        this.ctx = ctx;
        this.client = client;
        this.state = state;
        this.replies = replies;
        this.pool = ctx.pool();
    }

    PooledConnection conn() {
        return conn;
    }

    ServerStatements server() {
        return server;
    }

    SharedPool pool() {
        return pool;
    }

    boolean acquiring() {
        return acquiring != null;
    }

    void flush() {
        if (conn != null) {
            conn.channel().flush();
        }
    }

    /** Asks {@code p} for a connection for the queued frames; they are forwarded once it is attached. */
    void acquireFrom(SharedPool p) {
        acquire(p, f -> {
            if (f.isCancelled()) {
                return;
            }
            if (!f.isSuccess()) {
                failedToAcquire(f.cause());
                return;
            }
            PooledConnection c = f.getNow();
            if (s.ended()) {
                p.release(c, true);
                return;
            }
            ctx.waited(System.nanoTime() - waitStart);
            attach(c, true);
        });
    }

    /** Asks {@code p} for a connection; {@code then} runs once the answer is known. */
    void acquire(SharedPool p, Consumer<Future<PooledConnection>> then) {
        pool = p;
        waitStart = System.nanoTime();
        Future<PooledConnection> f = p.acquire(client.eventLoop(), ctx.credentials(), ctx.limits().queryWaitTimeout());
        acquiring = f;
        f.addListener(done -> {
            acquiring = null;
            then.accept(f);
        });
    }

    void failedToAcquire(Throwable cause) {
        if (!s.ended() && s.routing() != null && s.routing().unavailable(cause)) {
            return;
        }
        if (!s.ended()) {
            String[] refusal = TxnRefusal.of(s.sessionId(), pool.backend().name(), cause);
            s.end(refusal[0], refusal[1]);
        }
    }

    void attach(PooledConnection c, boolean forwardQueued) {
        conn = c;
        replies.releaseDue(false);
        Map<String, String> applied = ctx.attached(s, c);
        server = ctx.statementsOn(c);
        Map<String, String> wanted = state.settings();
        if (!applied.equals(wanted)) {
            // Pipelined before the client's own messages; its answer is swallowed (ReplySkipper).
            c.channel().write(Texts.query(c.channel().alloc(), SessionSettings.replay(wanted)), c.channel().voidPromise());
            replies.expectReplay();
        }
        int frames = forwardQueued && s.routing() != null ? s.routing().attached(c) : Integer.MAX_VALUE;
        if (frames == TxnReadRouting.GATED) { // the unit waits until the replica has replayed the client's writes
            c.channel().read();
            client.read();
            return;
        }
        boolean answered = false;
        ArrayDeque<Frame> queued = s.queued();
        for (int n = frames; forwardQueued && n > 0 && !queued.isEmpty(); n--) {
            answered |= s.forward(queued.poll());
        }
        flush();
        c.channel().read();
        client.read();
        if (answered) {
            detachIfDone();
        }
    }

    /** Forwards (at most) {@code frames} queued frames to the attached connection, and flushes. */
    void forwardQueued(int frames) {
        ArrayDeque<Frame> queued = s.queued();
        for (int n = frames; n > 0 && !queued.isEmpty(); n--) {
            s.forward(queued.poll());
        }
        flush();
    }

    /**
     * A re-run: asks {@code p} for a connection and forwards it the client's {@code frames} (their
     * first run's answer was never seen by the client); {@code sent} runs before the flush.
     */
    void rerun(SharedPool p, List<Frame> frames, Runnable sent) {
        acquire(p, f -> {
            if (f.isCancelled() || !f.isSuccess() || s.ended()) {
                frames.forEach(Frame::release);
                if (f.isSuccess()) {
                    pool.release(f.getNow(), true);
                } else if (!f.isCancelled()) {
                    failedToAcquire(f.cause());
                }
                return;
            }
            attach(f.getNow(), false);
            boolean answered = false;
            for (Frame frame : frames) {
                answered |= s.forward(frame);
            }
            sent.run();
            flush();
            if (answered) {
                detachIfDone();
            }
        });
    }

    void detachIfDone() {
        TxnReadRouting routing = s.routing();
        if (conn != null && replies.releaseDue() && state.releasable() && replies.settled()
                && (routing == null || routing.releasable())) {
            if (routing != null && routing.probeFirst()) {
                return;
            }
            PooledConnection c = conn;
            conn = null;
            replies.releaseDue(false);
            if (routing != null) {
                routing.detached();
            }
            ctx.detached(c, state.settings());
            client.flush();
            pool.release(c, true);
            client.read();
        }
    }

    /** The attached connection goes back to its pool ({@code clean}: reusable as it is). */
    void dropConnection(boolean clean) {
        PooledConnection c = conn;
        conn = null;
        ctx.detached(c, state.settings());
        pool.release(c, clean);
    }

    /** The session ends: a connection being asked for is not wanted any more. */
    void cancelAcquire() {
        if (acquiring != null) {
            acquiring.cancel(false);
        }
    }

    /**
     * The session ended: the connection goes back when {@code idle} (no transaction, no answer
     * awaited) and unpinned, is reset first when pinned, else closed.
     */
    void end(boolean idle) {
        PooledConnection c = conn;
        conn = null;
        if (c != null) {
            ctx.detached(c, state.settings());
            boolean clean = idle && c.channel().isActive();
            if (clean && state.pinned()) {
                pool.retire(c);
            } else {
                pool.release(c, clean);
            }
        }
    }
}
