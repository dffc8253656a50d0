package dev.meridian.proxy.session;

import dev.meridian.proxy.config.BackendConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * Read routing's own queries on the attached connection, pipelined with the client's and
 * answered before anything of the client's is: a replica's replay position (the causal wait:
 * a unit runs on a replica only once it has replayed the client's writes, asked again until
 * health.causal_wait is over) and the primary's WAL position after a write unit.
 */
final class TxnRoutingProbes {
    /** A causal wait's answer: the unit may run; ask again later; the wait is over (the primary). */
    enum Gate { PASSED, AGAIN, TIMED_OUT, LOST }

    private final ReadRouter reads;
    private final LsnReply position = new LsnReply();
    private final LsnReply replay = new LsnReply();
    /** The replica attached must first be seen replaying this floor (causal wait); -1: none. */
    private long floor = -1;
    private long deadline;

    TxnRoutingProbes(ReadRouter reads) {
        this.reads = reads;
    }

    /** What was read is not the answer a probe awaited: no one's rows may go on, the session ends. False. */
    static boolean lost(TxnSession s, ByteBuf buf) {
        LoggerFactory.getLogger(TxnSession.class).error("session {}: a read-routing probe's answer was not where it"
                + " was expected on backend {}; ending the session", s.sessionId(), s.conn().backend().name());
        buf.release();
        s.end("XX000", "Meridian lost track of the backend's answers; reconnect");
        return false;
    }

    /** The unit routed next waits for {@code lsn} on its replica (-1: it does not wait). */
    void gate(long lsn) {
        floor = lsn;
    }

    boolean gated() {
        return floor >= 0;
    }

    /** No answer of these queries is awaited. */
    boolean idle() {
        return !position.active() && !replay.active();
    }

    boolean positionAsked() {
        return position.active();
    }

    boolean replayAsked() {
        return replay.active();
    }

    void askPosition(Channel backend) {
        position.expect();
        backend.writeAndFlush(Texts.query(backend.alloc(), LsnReply.SQL), backend.voidPromise());
    }

    /** The causal wait starts: the replica is asked how far it has replayed. */
    void startWait(Channel replica, Duration wait) {
        deadline = System.nanoTime() + wait.toNanos();
        askReplay(replica);
    }

    void askReplay(Channel replica) {
        replay.expect();
        replica.writeAndFlush(Texts.query(replica.alloc(), CausalWait.SQL), replica.voidPromise());
    }

    /**
     * The write position's answer at the start of {@code buf}: the router learns it once
     * complete. False when what was read is not that answer ({@link LsnReply#foreign}).
     */
    boolean readPosition(ByteBuf buf) {
        boolean done = position.read(buf);
        if (position.foreign()) {
            return false;
        }
        if (done) {
            reads.learned(position.value());
        }
        return true;
    }

    /**
     * The replay position's answer at the start of {@code buf}: far enough, the unit may run;
     * not yet, ask again until the wait is over. Null while the answer is incomplete; LOST when
     * what was read is not that answer.
     */
    Gate readReplay(ByteBuf buf, BackendConfig replica) {
        boolean done = replay.read(buf);
        if (replay.foreign()) {
            return Gate.LOST;
        }
        if (!done) {
            return null;
        }
        long lsn = reads.replayed(replica, replay.value());
        if (lsn >= floor) {
            floor = -1;
            return Gate.PASSED;
        }
        if (System.nanoTime() < deadline) {
            return Gate.AGAIN;
        }
        floor = -1;
        return Gate.TIMED_OUT;
    }
}
