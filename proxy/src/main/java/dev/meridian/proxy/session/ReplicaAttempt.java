package dev.meridian.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The safety net of a unit sent to a replica (docs/read-routing.md): keeps copies of the frames
 * sent and holds the replica's answer back from the client until its first ReadyForQuery. If the
 * answer is an ErrorResponse with SQLSTATE 25006 (read_only_sql_transaction) before any row or
 * CommandComplete, the unit was a write after all: the answer is dropped and the copies are
 * re-run on the primary, unseen by the client (the refused answer still moves the session's
 * statement plan and transaction state on, muted). An answer larger than {@link #MAX_HELD} is let
 * through as it comes (rows have flowed by then, so no re-run is possible any more).
 */
final class ReplicaAttempt {
    static final int MAX_HELD = 64 * 1024;
    private static final String READ_ONLY_SQL_TRANSACTION = "25006";

    enum Outcome { HOLDING, PASS, REFUSED }

    private final List<ByteBuf> sent = new ArrayList<>();
    /** How many of {@link #sent} Meridian answered itself as they went (the client has those answers). */
    private int answeredHere;
    private final CompositeByteBuf held;
    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private int messageStart;
    private boolean answered;
    private boolean refused;
    private int lastStatus = 'I';

    ReplicaAttempt(ByteBufAllocator alloc) {
        this.held = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    /** A copy of a frame as it goes to the replica. */
    void sent(ByteBuf frame) {
        sent.add(frame.retainedDuplicate());
    }

    /**
     * Meridian has just answered the frames sent so far itself (a Parse of a statement the
     * replica has): the client has those answers, a re-run must not send them again.
     */
    void answeredHere() {
        answeredHere = sent.size();
    }

    /**
     * The copies still to run on the primary, handed over (this attempt no longer owns them):
     * all but those Meridian answered itself ({@link #answeredHere}).
     */
    List<ByteBuf> takeSent() {
        List<ByteBuf> copies = new ArrayList<>(sent.subList(answeredHere, sent.size()));
        sent.subList(0, answeredHere).forEach(ByteBuf::release);
        sent.clear();
        answeredHere = 0;
        return copies;
    }

    /** The replica's refused answer, handed over (read for the plan and the state only). */
    ByteBuf takeHeld() {
        return held.retain();
    }

    /** The status of the first ReadyForQuery ('I' outside a transaction). */
    int status() {
        return lastStatus;
    }

    /**
     * Takes {@code buf} (ownership passes here). HOLDING: more is needed; PASS: {@link #release}
     * the held bytes to the client; REFUSED: a 25006 answer, drop it and re-run.
     */
    Outcome offer(ByteBuf buf) {
        int from = held.writerIndex();
        held.addComponent(true, buf);
        scan(from);
        if (refused && answered) {
            return Outcome.REFUSED;
        }
        if (answered || held.readableBytes() > MAX_HELD && !refused) {
            return Outcome.PASS;
        }
        return Outcome.HOLDING;
    }

    /** The held answer, for the client; the copies are dropped. */
    ByteBuf release() {
        sent.forEach(ByteBuf::release);
        sent.clear();
        return held;
    }

    /** Drops everything (session ended, or after a re-run took the copies). */
    void discard() {
        sent.forEach(ByteBuf::release);
        sent.clear();
        held.release();
    }

    private void scan(int from) {
        int i = from;
        int end = held.writerIndex();
        while (i < end && !answered) {
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, end - i);
                i += n;
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    ended(i);
                }
                continue;
            }
            if (headerFill == 0) {
                messageStart = i;
            }
            header[headerFill++] = held.getByte(i++);
            if (headerFill == 5) {
                headerFill = 0;
                bodyLeft = held.getInt(messageStart + 1) - 4L;
                if (bodyLeft <= 0) {
                    ended(i);
                }
            }
        }
    }

    private void ended(int end) {
        switch (header[0]) {
            case 'E' -> refused |= isReadOnlyError(messageStart + 5, end) && !rowsSeen;
            case 'D', 'C', 'G', 'H', 'd' -> rowsSeen = true;
            case 'Z' -> {
                answered = true;
                lastStatus = held.getUnsignedByte(messageStart + 5);
            }
            default -> { }
        }
    }

    private boolean rowsSeen;

    /** ErrorResponse fields: a type byte, a C string, ... then 0; 'C' is the SQLSTATE. */
    private boolean isReadOnlyError(int from, int end) {
        int i = from;
        while (i < end && held.getByte(i) != 0) {
            byte field = held.getByte(i++);
            int nul = held.indexOf(i, end, (byte) 0);
            if (nul < 0) {
                return false;
            }
            if (field == 'C') {
                return READ_ONLY_SQL_TRANSACTION.equals(held.toString(i, nul - i, StandardCharsets.US_ASCII));
            }
            i = nul + 1;
        }
        return false;
    }
}
