package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.backend.pool.SharedPool;
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
import java.util.concurrent.atomic.LongAdder;
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
    /** target: auto only (else null): per-unit routing, and the write position after write units. */
    private final ReadRouter reads;
    private final LsnReply lsnReply;
    private final LsnReply replayReply;
    /** The pool {@code conn} (or the connection being acquired) comes from. */
    private SharedPool pool;
    /** auto: {@code conn} is a replica's; new units wait for it to be done, then are routed anew. */
    private boolean onReplica;
    /** auto: the unit on a replica, held until its first answer is known (25006 safety net). */
    private ReplicaAttempt attempt;
    /** auto: how many queued frames the routed unit has (a replica gets only those). */
    private int unitFrames;
    /** auto: a write unit runs on the primary; its position is read before the connection goes back. */
    private boolean writeUnit;
    private boolean sentSinceProbe;
    /** auto: the replica attached must first be seen replaying this floor (causal wait); -1: none. */
    private long gateFloor = -1;
    private long gateDeadline;
    /** Backend bytes read on the backend's loop and not yet taken over on the client's (any thread). */
    private final LongAdder handedOver = new LongAdder();
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
        this.reads = ctx.reads();
        this.lsnReply = reads == null ? null : new LsnReply();
        this.replayReply = reads == null ? null : new LsnReply();
        this.pool = ctx.pool();
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
        writeUnit = reads != null; // whatever came with the startup runs on the primary
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
        if (conn == null || attempt != null || gateFloor >= 0 || onReplica && state.busy() || startLingers()) {
            queued.add(f);
            if (conn == null && acquiring == null && (reads == null || AutoUnits.ends(queued))) {
                acquire();
            }
            return;
        }
        if (forward(f)) {
            detachIfDone(); // a request Meridian answered itself may have ended the transaction
        }
    }

    /** Returns true when Meridian answered something itself (written and flushed). */
    /**
     * auto: the first connection (the primary) is still attached only because its settings replay
     * is answering: the client's first unit waits, to be classified and routed like any other.
     */
    private boolean startLingers() {
        return reads != null && conn != null && writeUnit && !sentSinceProbe && !lsnReply.active() && state.idle();
    }

    private boolean forward(Frame f) {
        if (reads != null) {
            autoForwarded(f);
        }
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

    private void flushBackend() {
        if (conn != null) {
            conn.channel().flush();
        }
    }

    private void acquire() {
        SharedPool p = ctx.pool();
        unitFrames = queued.size();
        if (reads != null) {
            unitFrames = AutoUnits.unitLength(queued);
            if (reads.answeredLocally(AutoUnits.unit(queued, unitFrames), client)) {
                for (int n = unitFrames; n > 0; n--) { // SET meridian.min_lsn: answered here, never forwarded
                    queued.poll().release();
                }
                client.read();
                if (AutoUnits.ends(queued) && !queued.isEmpty()) {
                    acquire();
                }
                return;
            }
            ReadRouter.Choice choice = reads.choose(AutoUnits.unit(queued, unitFrames));
            p = choice.pool();
            onReplica = choice.decision() == dev.meridian.proxy.readrouting.ReadChoice.Decision.REPLICA;
            gateFloor = choice.awaitFloor();
            writeUnit = choice.decision() == dev.meridian.proxy.readrouting.ReadChoice.Decision.PRIMARY_WRITE;
        }
        acquireFrom(p);
    }

    private void acquireFrom(SharedPool p) {
        pool = p;
        waitStart = System.nanoTime();
        acquiring = p.acquire(client.eventLoop(), ctx.credentials(), ctx.limits().queryWaitTimeout());
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
                p.release(c, true);
                return;
            }
            ctx.waited(System.nanoTime() - waitStart);
            attach(c, true);
        });
    }

    private void failedToAcquire(Throwable cause) {
        if (!ended && onReplica) {
            // The replica could not give a connection (down, full): its unit runs on the primary.
            LOG.info("session {}: replica {} unavailable ({}); the read runs on the primary", sessionId(),
                    pool.backend().name(), LogSafe.text(String.valueOf(cause.getMessage())));
            onReplica = false;
            gateFloor = -1;
            unitFrames = queued.size();
            acquireFrom(reads.primary());
            return;
        }
        if (!ended) {
            String[] refusal = TxnRefusal.of(sessionId(), pool.backend().name(), cause);
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
        if (forwardQueued && gateFloor >= 0) {
            gateDeadline = System.nanoTime() + ctx.causalWait().toNanos();
            askReplay(); // the unit waits until the replica has replayed the client's writes
            c.channel().read();
            client.read();
            return;
        }
        // The 25006 re-run sends the frames again as they are: only units whose frames are not
        // rewritten per connection (simple Queries, or any unit while statements are not shared).
        if (forwardQueued && onReplica && (AutoUnits.simpleQueries(queued, unitFrames) || !state.sharesStatements())) {
            attempt = new ReplicaAttempt(c.channel().alloc());
        }
        boolean answered = false;
        for (int n = onReplica ? unitFrames : Integer.MAX_VALUE; forwardQueued && n > 0 && !queued.isEmpty(); n--) {
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
            int bytes = buf.readableBytes();
            handedOver.add(bytes);
            client.eventLoop().execute(() -> {
                handedOver.add(-bytes);
                backendRead(from, buf);
            });
            return;
        }
        if (ended || from != conn) {
            buf.release();
            return;
        }
        if (replies.skipReplay(buf) == TxnReplies.Outcome.REPLAY_FAILED) {
            LOG.warn("session {}: restoring the session's settings on a pooled connection failed", sessionId());
            end(SqlState.CONNECTION_FAILURE, "could not restore this session's settings on a pooled backend connection");
            return;
        }
        if (!buf.isReadable()) {
            buf.release();
            detachIfDone();
            afterUnit();
            return;
        }
        if (reads != null && !autoRead(buf)) {
            return;
        }
        switch (replies.read(buf)) {
            case READ -> {
                detachIfDone();
                afterUnit();
            }
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
        if (conn != null && replies.releaseDue() && state.releasable() && replies.settled()
                && attempt == null && gateFloor < 0 && (lsnReply == null || !lsnReply.active())) {
            if (writeUnit && sentSinceProbe) {
                askPosition();
                return;
            }
            PooledConnection c = conn;
            conn = null;
            replies.releaseDue(false);
            onReplica = false;
            writeUnit = false;
            ctx.detached(c, state.settings());
            client.flush();
            pool.release(c, true);
            client.read();
        }
    }

    /**
     * auto: read routing's own answers at the start of {@code buf} (a causal wait's, the position
     * after a write) and the held answer of a unit on a replica. False when nothing is left for
     * the client now ({@code buf} is then released or held).
     */
    private boolean autoRead(ByteBuf buf) {
        if (replayReply.active()) {
            if (replayReply.read(buf)) {
                gateAnswered(replayReply.value());
            }
            if (!buf.isReadable()) {
                buf.release();
                return false;
            }
        }
        if (lsnReply.active()) {
            if (lsnReply.read(buf)) {
                reads.learned(lsnReply.value());
            }
            if (!buf.isReadable()) {
                buf.release();
                detachIfDone();
                afterUnit();
                return false;
            }
        }
        if (attempt == null) {
            return true;
        }
        ReplicaAttempt.Outcome outcome = attempt.offer(buf);
        if (outcome == ReplicaAttempt.Outcome.REFUSED) {
            rerunOnPrimary();
        } else if (outcome == ReplicaAttempt.Outcome.PASS) {
            ByteBuf answer = attempt.release();
            attempt = null;
            backendRead(conn, answer);
        }
        return false;
    }

    /**
     * auto: after a write unit, before its connection goes back, the primary's WAL position is
     * read (the client has its answer already: no round trip of its own); until it is known,
     * the client's next frames run on this same connection.
     */
    private void askPosition() {
        sentSinceProbe = false;
        lsnReply.expect();
        conn.channel().writeAndFlush(Texts.query(conn.channel().alloc(), LsnReply.SQL), conn.channel().voidPromise());
        client.flush();
        conn.channel().read();
    }

    private void askReplay() {
        replayReply.expect();
        conn.channel().writeAndFlush(Texts.query(conn.channel().alloc(), CausalWait.SQL), conn.channel().voidPromise());
    }

    /**
     * The replica said how far it has replayed: far enough, the unit goes to it; not yet, it is
     * asked again a few milliseconds later until health.causal_wait is over; then the primary.
     */
    private void gateAnswered(String value) {
        PooledConnection c = conn;
        long lsn = reads.replayed(c.backend(), value);
        if (lsn >= gateFloor) {
            gateFloor = -1;
            reads.counted(dev.meridian.proxy.readrouting.ReadChoice.Decision.REPLICA, c.backend());
            attempt = new ReplicaAttempt(c.channel().alloc());
            for (int n = unitFrames; n > 0 && !queued.isEmpty(); n--) {
                forward(queued.poll());
            }
            flushBackend();
            return;
        }
        if (System.nanoTime() < gateDeadline) {
            client.eventLoop().schedule(() -> {
                if (conn == c && !ended && gateFloor >= 0) {
                    askReplay();
                }
            }, CausalWait.POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        gateFloor = -1;
        conn = null;
        onReplica = false;
        ctx.detached(c, state.settings());
        pool.release(c, true);
        reads.counted(dev.meridian.proxy.readrouting.ReadChoice.Decision.PRIMARY_CAUSAL, reads.primary().backend());
        unitFrames = queued.size();
        acquireFrom(reads.primary());
    }

    /**
     * auto: frames held while a replica was busy (or while its answer was held): once it is done
     * they are routed anew; inside its read-only transaction they follow it; after a re-run on
     * the primary they follow the re-run.
     */
    private void afterUnit() {
        if (reads == null || ended || queued.isEmpty() || attempt != null) {
            return;
        }
        if (conn == null) {
            if (acquiring == null && AutoUnits.ends(queued)) {
                acquire();
            }
        } else if (!onReplica || !state.busy()) {
            while (!queued.isEmpty()) {
                forward(queued.poll());
            }
            flushBackend();
        }
    }

    /** A frame went to the backend: a Parse's class is remembered; the unit's copies are kept on a replica. */
    private void autoForwarded(Frame f) {
        if (f.type() == 'P') {
            reads.parsed(Texts.cstring(f.body(), 0), Texts.cstring(f.body(), 1));
        }
        if (attempt != null) {
            attempt.sent(f.content());
        }
        sentSinceProbe = true;
    }

    /** The replica refused the unit as a write (25006): the same frames run on the primary, unseen. */
    private void rerunOnPrimary() {
        PooledConnection replica = conn;
        boolean clean = attempt.status() == 'I';
        java.util.List<io.netty.buffer.ByteBuf> copies = attempt.takeSent();
        attempt.discard();
        attempt = null;
        conn = null;
        onReplica = false;
        ctx.detached(replica, state.settings());
        pool.release(replica, clean);
        ReadRouter.Choice primary = reads.fellBack(replica.backend());
        writeUnit = true;
        pool = primary.pool();
        waitStart = System.nanoTime();
        acquiring = pool.acquire(client.eventLoop(), ctx.credentials(), ctx.limits().queryWaitTimeout());
        acquiring.addListener(f -> {
            acquiring = null;
            if (f.isCancelled() || !f.isSuccess() || ended) {
                copies.forEach(io.netty.buffer.ByteBuf::release);
                if (f.isSuccess()) {
                    pool.release((PooledConnection) f.getNow(), true);
                } else if (!f.isCancelled()) {
                    failedToAcquire(f.cause());
                }
                return;
            }
            attach((PooledConnection) f.getNow(), false);
            copies.forEach(b -> conn.channel().write(b, conn.channel().voidPromise()));
            sentSinceProbe = true;
            afterUnit();
            flushBackend();
        });
    }

    /**
     * A backend read batch ended. On the backend's own loop (the session lives on another one),
     * its next read is asked for right there: asked for from the client's loop, it would be a
     * task and a wake-up for the backend's loop, which would meanwhile have taken EPOLLIN off the
     * socket (no read pending) only to put it back, two epoll_ctl calls per answer. Backpressure
     * holds: no read ahead while the client cannot take more or while the bytes in hand-over
     * exceed its high watermark. A read asked for a connection that was detached meanwhile only
     * re-arms the socket: what comes goes to its next holder, which asks for reads itself.
     */
    void backendReadComplete(PooledConnection from) {
        if (!client.eventLoop().inEventLoop()) {
            boolean readAhead = client.isWritable()
                    && handedOver.sum() < client.config().getWriteBufferHighWaterMark();
            if (readAhead) {
                from.channel().read();
            }
            client.eventLoop().execute(() -> backendBatchDone(from, readAhead));
            return;
        }
        backendBatchDone(from, false);
    }

    private void backendBatchDone(PooledConnection from, boolean readingAlready) {
        client.flush();
        // A connection detached in this batch stays armed too (its next holder would re-arm it,
        // two epoll_ctl calls later); whatever an idle one reads is dropped (TxnBackendHandler).
        if (!readingAlready && (from != conn || client.isWritable())) {
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
        if (attempt != null) {
            attempt.discard();
            attempt = null;
        }
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
            boolean clean = state.idle() && replies.settled() && c.channel().isActive()
                    && (lsnReply == null || !lsnReply.active() && !replayReply.active());
            if (clean && state.pinned()) {
                pool.retire(c);
            } else {
                pool.release(c, clean);
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
