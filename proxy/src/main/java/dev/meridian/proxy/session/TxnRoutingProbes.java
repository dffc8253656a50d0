package dev.meridian.proxy.session;

import dev.meridian.proxy.config.BackendConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;

/**
 * Read routing's own queries on the attached connection, pipelined with the client's and
 * answered before anything of the client's is: a replica's replay position (the causal wait:
 * a unit runs on a replica only once it has replayed the client's writes, asked again until
 * health.causal_wait is over) and the primary's WAL position after a write unit.
 */
final class TxnRoutingProbes {
    /** A causal wait's answer: the unit may run; ask again later; the wait is over (the primary). */
    enum Gate { PASSED, AGAIN, TIMED_OUT }

    private final ReadRouter reads;
    private final LsnReply position = new LsnReply();
    private final LsnReply replay = new LsnReply();
    /** The replica attached must first be seen replaying this floor (causal wait); -1: none. */
    private long floor = -1;
    private long deadline;

    TxnRoutingProbes(ReadRouter reads) {
        this.reads = reads;
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

    /** The write position's answer at the start of {@code buf}: the router learns it once complete. */
    void readPosition(ByteBuf buf) {
        if (position.read(buf)) {
            reads.learned(position.value());
        }
    }

    /**
     * The replay position's answer at the start of {@code buf}: far enough, the unit may run;
     * not yet, ask again until the wait is over. Null while the answer is incomplete.
     */
    Gate readReplay(ByteBuf buf, BackendConfig replica) {
        if (!replay.read(buf)) {
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
