package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.readrouting.ReadChoice;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-transaction read routing of one {@code target: auto} session (created only for those):
 * each unit is classified and routed ({@link ReadRouter}), a replica first waits for the
 * client's writes (causal wait), a unit a replica refuses as a write (25006) is re-run on the
 * primary, and a write unit's WAL position is read before its connection goes back.
 *
 * <pre>
 * unit queued ─▶ acquire(): choose ─▶ attached(): gate? askReplay ─▶ gateAnswered ─▶ forward
 * replica answer ─▶ read(): held by TxnSafetyNet ─▶ PASS: to client | REFUSED: re-run on the primary
 * write unit done ─▶ probeFirst(): askPosition ─▶ read(): learned ─▶ the connection goes back
 * </pre>
 * Runs on the session's (client's) loop; it owns no connection, it asks {@link TxnSession}.
 */
final class TxnReadRouting {
    private static final Logger LOG = LoggerFactory.getLogger(TxnSession.class);
    /** {@link #attached} when the unit waits for the replica's replay position. */
    static final int GATED = -1;

    private final TxnSession s;
    private final ReadRouter reads;
    private final TxnRoutingProbes probes;
    /** {@code conn} is a replica's; new units wait for it to be done, then are routed anew. */
    private boolean onReplica;
    private final TxnSafetyNet net;
    /** How many queued frames the routed unit has (a replica gets only those). */
    private int unitFrames;
    /** A write unit runs on the primary; its position is read before the connection goes back. */
    private boolean writeUnit;
    /** Something that may write went to the primary since its position was last read. */
    private boolean sentSinceProbe;

    TxnReadRouting(TxnSession s, ReadRouter reads, TxnSafetyNet net) {
        this.s = s;
        this.reads = reads;
        this.probes = new TxnRoutingProbes(reads);
        this.net = net;
    }

    /** Whatever came with the startup runs on the primary (the first connection). */
    void startedOnPrimary() {
        writeUnit = true;
    }

    /** True when a client frame must wait in the queue although a connection is attached. */
    boolean holds() {
        return net.holding() || probes.gated() || onReplica && s.state().busy() || startLingers();
    }

    /**
     * The first connection (the primary) is still attached only because its settings replay
     * is answering: the client's first unit waits, to be classified and routed like any other.
     */
    private boolean startLingers() {
        return s.conn() != null && writeUnit && !sentSinceProbe && !probes.positionAsked() && s.state().idle();
    }

    /** Routes the queued unit: answered here (SET meridian.min_lsn), or a pool is asked. */
    void acquire() {
        ArrayDeque<Frame> queued = s.queued();
        unitFrames = AutoUnits.unitLength(queued);
        if (reads.answeredLocally(AutoUnits.unit(queued, unitFrames), s.client())) {
            for (int n = unitFrames; n > 0; n--) { // SET meridian.min_lsn: answered here, never forwarded
                queued.poll().release();
            }
            s.client().read();
            if (AutoUnits.ends(queued) && !queued.isEmpty()) {
                acquire();
            }
            return;
        }
        ReadRouter.Choice choice = reads.choose(AutoUnits.unit(queued, unitFrames));
        onReplica = choice.decision() == ReadChoice.Decision.REPLICA;
        probes.gate(choice.awaitFloor());
        writeUnit = choice.decision() == ReadChoice.Decision.PRIMARY_WRITE;
        sentSinceProbe |= writeUnit; // a write by decision (pins, a cut unit) even where no statement looks like one
        s.link().acquireFrom(choice.pool());
    }

    /** The replica could not give a connection (down, full): its unit runs on the primary. True if so. */
    boolean unavailable(Throwable cause) {
        if (!onReplica) {
            return false;
        }
        LOG.debug("session {}: replica {} unavailable ({}); the read runs on the primary", s.sessionId(),
                s.link().pool().backend().name(), LogSafe.text(String.valueOf(cause.getMessage())));
        onReplica = false;
        probes.gate(-1);
        unitFrames = s.queued().size();
        s.link().acquireFrom(reads.primary());
        return true;
    }

    /**
     * {@code c} was attached for the queued unit: how many queued frames go to it now, or
     * {@link #GATED} while the unit waits until the replica has replayed the client's writes.
     */
    int attached(PooledConnection c) {
        if (probes.gated()) {
            probes.startWait(c.channel(), s.ctx().causalWait());
            return GATED;
        }
        if (onReplica) {
            net.start(c.channel());
        }
        return onReplica ? unitFrames : Integer.MAX_VALUE;
    }

    /** A frame went to the backend: a Parse's class is remembered; the unit's copies are kept on a replica. */
    void forwarded(Frame f) {
        if (f.type() == 'P') {
            reads.parsed(Texts.cstring(f.body(), 0), Texts.cstring(f.body(), 1));
        }
        net.sent(f);
        // Reads riding behind a position query ask no new one: after them the next unit is routed.
        sentSinceProbe |= reads.mayWrite(f);
    }

    /** Nothing of read routing's own is in flight: the connection may go back. */
    boolean releasable() {
        return !net.holding() && !probes.gated() && !probes.positionAsked();
    }

    /**
     * After a write unit, before its connection goes back, the primary's WAL position is read
     * (the client has its answer already: no round trip of its own); until it is known, the
     * client's next frames run on this same connection. True when it is asked for now.
     */
    boolean probeFirst() {
        if (!writeUnit || !sentSinceProbe) {
            return false;
        }
        sentSinceProbe = false;
        probes.askPosition(s.conn().channel());
        s.client().flush();
        s.conn().channel().read();
        return true;
    }

    void detached() {
        onReplica = false;
        writeUnit = false;
    }

    /** No answer of read routing's own is awaited: the connection is clean as far as it is concerned. */
    boolean idle() {
        return probes.idle();
    }

    /** The unit on a replica, if any: its frames and held answer (the 25006 safety net). */
    TxnSafetyNet net() {
        return net;
    }

    /**
     * Read routing's own answers at the start of {@code buf} (a causal wait's, the position
     * after a write) and the held answer of a unit on a replica. False when nothing is left for
     * the client now ({@code buf} is then released or held).
     */
    boolean read(ByteBuf buf) {
        if (probes.replayAsked()) {
            TxnRoutingProbes.Gate gate = probes.readReplay(buf, s.conn().backend());
            if (gate == TxnRoutingProbes.Gate.LOST) {
                return TxnRoutingProbes.lost(s, buf);
            } else if (gate != null) {
                gateAnswered(gate);
            }
            if (!buf.isReadable()) {
                buf.release();
                return false;
            }
        }
        if (probes.positionAsked()) {
            if (!probes.readPosition(buf)) {
                return TxnRoutingProbes.lost(s, buf);
            }
            if (!buf.isReadable()) {
                buf.release();
                s.link().detachIfDone();
                afterUnit();
                return false;
            }
        }
        if (!net.holding()) {
            return true;
        }
        if (net.offer(buf) == ReplicaAttempt.Outcome.REFUSED) { // a write after all: the primary runs it, unseen
            onReplica = false;
            writeUnit = true;
            sentSinceProbe = true;
            net.rerun(this::afterUnit);
        }
        return false;
    }

    /**
     * The replica said how far it has replayed: far enough, the unit goes to it; not yet, it is
     * asked again a few milliseconds later until health.causal_wait is over; then the primary.
     */
    private void gateAnswered(TxnRoutingProbes.Gate gate) {
        PooledConnection c = s.conn();
        switch (gate) {
            case PASSED -> {
                reads.counted(ReadChoice.Decision.REPLICA, c.backend());
                net.start(c.channel());
                s.link().forwardQueued(unitFrames);
            }
            case AGAIN -> s.client().eventLoop().schedule(() -> {
                if (s.conn() == c && !s.ended() && probes.gated()) {
                    probes.askReplay(c.channel());
                }
            }, CausalWait.POLL_MILLIS, TimeUnit.MILLISECONDS);
            case TIMED_OUT -> {
                onReplica = false;
                s.link().dropConnection(true);
                reads.counted(ReadChoice.Decision.PRIMARY_CAUSAL, reads.primary().backend());
                unitFrames = s.queued().size();
                s.link().acquireFrom(reads.primary());
            }
        }
    }

    /**
     * Frames held while a replica was busy (or while its answer was held): once it is done
     * they are routed anew; inside its read-only transaction they follow it; after a re-run on
     * the primary they follow the re-run.
     */
    void afterUnit() {
        // Gated: the settings replay's answer alone must not send the unit before the replica replayed the floor.
        if (s.ended() || s.queued().isEmpty() || net.holding() || probes.gated()) {
            return;
        }
        if (s.conn() == null) {
            if (!s.link().acquiring() && AutoUnits.ends(s.queued())) {
                acquire();
            }
        } else if (!onReplica || !s.state().busy()) {
            s.link().forwardQueued(Integer.MAX_VALUE);
        }
    }
}
