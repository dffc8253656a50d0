package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.backend.pool.PooledConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The 25006 safety net of a {@code target: auto} unit on a replica (docs/read-routing.md): the
 * client's frames are kept as they were before any rewriting, and the replica's answer is held
 * back ({@link ReplicaAttempt}) until its first ReadyForQuery. Passed, the answer goes on to the
 * client. Refused as a write, the unit runs again on the primary, unseen: the refused answer is
 * read muted (the statement plan and the transaction state take it as the answer it was, the
 * client sees none of it), the statement names the unit's Parses created are forgotten, and the
 * client's frames go again through the same path as any frame (renamed, a Parse injected where
 * the primary's connection lacks one). Simple Queries and the extended protocol alike.
 *
 * <pre>
 * start ─▶ sent(frame)… ─▶ offer(answer) ─▶ PASS: to the client | REFUSED: rerun ─▶ primary
 * </pre>
 */
final class TxnSafetyNet {
    private final TxnSession s;
    private final ReadRouter reads;
    private final TxnReplies replies;
    private final TxnRequests requests;
    /** The unit on a replica, held until its first answer is known; null: no unit is. */
    private ReplicaAttempt attempt;

    TxnSafetyNet(TxnSession s, ReadRouter reads, TxnReplies replies, TxnRequests requests) {
        this.s = s;
        this.reads = reads;
        this.replies = replies;
        this.requests = requests;
    }

    boolean holding() {
        return attempt != null;
    }

    /** A unit goes to {@code replica} now: its frames are kept, its answer held. */
    void start(Channel replica) {
        attempt = new ReplicaAttempt(replica.alloc());
    }

    /** A client frame on its way to the replica (before any rewriting). */
    void sent(Frame f) {
        if (attempt != null) {
            attempt.sent(f.content());
        }
    }

    /** Meridian has just answered what was sent so far itself: a re-run does not send it again. */
    void answeredHere() {
        if (attempt != null) {
            attempt.answeredHere();
        }
    }

    /**
     * The replica's answer at hand (taken over). PASS: the held answer went on to the client;
     * REFUSED: the unit must run again ({@link #rerun}); HOLDING: more is needed.
     */
    ReplicaAttempt.Outcome offer(ByteBuf buf) {
        ReplicaAttempt.Outcome outcome = attempt.offer(buf);
        if (outcome == ReplicaAttempt.Outcome.PASS) {
            ByteBuf answer = attempt.release();
            attempt = null;
            s.backend().read(s.conn(), answer);
        }
        return outcome;
    }

    /** The refused unit runs on the primary; {@code sent} runs once its frames are on their way. */
    void rerun(Runnable sent) {
        PooledConnection replica = s.conn();
        boolean clean = attempt.status() == 'I';
        List<ByteBuf> copies = attempt.takeSent();
        ByteBuf refused = attempt.takeHeld();
        attempt.discard();
        attempt = null;
        List<Frame> frames = new ArrayList<>(copies.size());
        copies.forEach(b -> frames.add(new Frame(b)));
        if (replies.readMuted(refused) != TxnReplies.Outcome.READ) {
            frames.forEach(Frame::release);
            s.end(SqlState.PROTOCOL_VIOLATION, "backend protocol violation");
            return;
        }
        for (Frame f : frames) {
            if (f.type() == 'P') {
                requests.forget(Texts.cstring(f.body(), 0)); // created by the refused run: created anew
            }
        }
        s.link().dropConnection(clean);
        ReadRouter.Choice primary = reads.fellBack(replica.backend());
        s.link().rerun(primary.pool(), frames, sent);
    }

    /** The session ended: a held answer and the kept frames are dropped. */
    void discard() {
        if (attempt != null) {
            attempt.discard();
            attempt = null;
        }
    }
}
