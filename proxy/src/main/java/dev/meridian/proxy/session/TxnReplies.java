package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.pooling.ReplyPlan;
import dev.meridian.proxy.pooling.TransactionState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The backend-to-client half of a transaction-pooled session, on the client's loop: swallows the
 * answer to a settings replay Meridian sent itself, then passes the backend's messages to the
 * client as the {@link ReplyPlan} says ({@link BackendReplies}), feeding each to the transaction
 * state; a ReadyForQuery after which the connection may go back sets {@link #releaseDue()}.
 */
final class TxnReplies {
    enum Outcome {
        /** Read; the connection may be releasable now. */
        READ,
        /** The session's settings could not be restored on this connection. */
        REPLAY_FAILED,
        /** The backend broke the protocol. */
        VIOLATION
    }

    private final TxnContext ctx;
    private final TransactionState state;
    private final IdleTransactionTimer idleTransaction;
    private final BackendReplies fromBackend;
    private final ReplySkipper replayAnswer = new ReplySkipper();
    private boolean releaseDue;
    /** What the last VIOLATION was (for the log). */
    private String violation = "";

    TxnReplies(TxnContext ctx, TransactionState state, IdleTransactionTimer idleTransaction, ReplyPlan plan,
               Channel client) {
        this.ctx = ctx;
        this.state = state;
        this.idleTransaction = idleTransaction;
        this.fromBackend = new BackendReplies(plan, client, this::onBackendMessage, ctx.maxMessageBytes());
    }

    /** A settings replay was sent ahead of the client's messages: swallow one answer. */
    void expectReplay() {
        replayAnswer.expect();
    }

    /**
     * Swallows what is left of a settings replay's answer at the start of {@code buf}, so that
     * read routing's own answers behind it can be read; REPLAY_FAILED releases {@code buf}.
     */
    Outcome skipReplay(ByteBuf buf) {
        if (replayAnswer.active()) {
            replayAnswer.skip(buf);
            if (replayAnswer.sawError()) {
                buf.release();
                return Outcome.REPLAY_FAILED;
            }
        }
        return Outcome.READ;
    }

    /** Takes {@code buf} over. */
    Outcome read(ByteBuf buf) {
        ctx.meters().fromBackend(buf.readableBytes());
        if (replayAnswer.active()) {
            replayAnswer.skip(buf);
            if (replayAnswer.sawError()) {
                buf.release();
                return Outcome.REPLAY_FAILED;
            }
            if (!buf.isReadable()) {
                buf.release();
                return Outcome.READ;
            }
        }
        ctx.tally().sent(buf.readableBytes());
        try {
            fromBackend.read(buf);
        } catch (ProtocolException e) {
            violation = e.getMessage();
            return Outcome.VIOLATION;
        }
        return Outcome.READ;
    }

    /**
     * A replica's answer to a unit that runs again on the primary (25006): the plan and the
     * transaction state take it as the answer it was, the client sees none of it.
     */
    Outcome readMuted(ByteBuf buf) {
        try {
            fromBackend.readMuted(buf);
        } catch (ProtocolException e) {
            violation = e.getMessage();
            return Outcome.VIOLATION;
        }
        return Outcome.READ;
    }

    /** Writes what Meridian answers itself, if due now; true if anything was written. */
    boolean writeSynths() {
        return fromBackend.writeSynths();
    }

    private void onBackendMessage(byte type, int firstBodyByte) {
        ctx.meters().backendMessage(type);
        state.backendSent(type, firstBodyByte);
        if (type == 'Z') {
            ctx.tally().ready(firstBodyByte);
            ctx.answered();
            if (idleTransaction != null) {
                idleTransaction.readyForQuery();
            }
            releaseDue = state.releasable();
        }
    }

    /** Between backend messages (a FATAL may be written to the client now). */
    boolean atBoundary() {
        return fromBackend.atBoundary();
    }

    /** Nothing of the backend's is half read or still to be swallowed. */
    boolean settled() {
        return fromBackend.atBoundary() && !replayAnswer.active();
    }

    String violation() {
        return violation;
    }

    boolean releaseDue() {
        return releaseDue;
    }

    void releaseDue(boolean due) {
        releaseDue = due;
    }
}
