package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.MessageScanner;
import dev.meridian.proxy.pooling.ReplyPlan;
import dev.meridian.proxy.pooling.Synth;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The backend's byte stream on its way to a transaction-pooled client: message boundaries are
 * followed without copying, and each receive buffer goes out whole unless the {@link ReplyPlan}
 * swallows a message (an injected Parse's ParseComplete, an eviction's CloseComplete, an error
 * Meridian replaces) or answers between two messages; only then is the buffer cut into retained
 * slices around it. A header may straddle buffers: the type byte decides.
 */
final class BackendReplies {
    /** Sees every backend message, forwarded or not, and the ReadyForQuery Meridian writes itself. */
    interface Listener {
        void onMessage(byte type, int firstBodyByte);
    }

    private final ReplyPlan plan;
    private final Channel client;
    private final Listener listener;
    private final int maxMessageBytes;
    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private int firstBodyByte = MessageScanner.NO_BODY;
    private boolean dropping;
    /** Start of the bytes of the current buffer still to forward; -1 while none are pending. */
    private int from;
    private boolean cut;
    /** The buffer being read (null between reads). */
    private ByteBuf current;
    /** Read for the plan and the state only: nothing reaches the client (a replica's refused answer). */
    private boolean muted;

    BackendReplies(ReplyPlan plan, Channel client, Listener listener, int maxMessageBytes) {
        this.plan = plan;
        this.client = client;
        this.listener = listener;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** True between messages. */
    boolean atBoundary() {
        return headerFill == 0 && bodyLeft == 0;
    }

    /**
     * Takes {@code buf} over as {@link #read} does, but the client gets nothing of it: the answer
     * of a unit that runs again elsewhere still moves the plan and the transaction state on.
     */
    void readMuted(ByteBuf buf) {
        muted = true;
        try {
            read(buf);
        } finally {
            muted = false;
        }
    }

    /** Takes {@code buf} over: what the client gets is written (not flushed), the rest released. */
    void read(ByteBuf buf) {
        int i = buf.readerIndex();
        final int end = buf.writerIndex();
        current = buf;
        from = dropping ? -1 : i;
        cut = dropping;
        try {
            while (i < end) {
                i = headerFill < 5 && bodyLeft == 0 ? header(i) : body(i, end);
            }
        } catch (ProtocolException e) {
            current = null;
            buf.release();
            throw e;
        }
        if (!cut) {
            current = null;
            toClient(buf);
            return;
        }
        if (!dropping) {
            emit(end);
        }
        current = null;
        buf.release();
    }

    /** Writes the synthesised answers due now, when no backend message is half written; true if any. */
    boolean writeSynths() {
        if (atBoundary() && plan.hasSynth()) {
            synths();
            return true;
        }
        return false;
    }

    private int header(int i) {
        byte b = current.getByte(i);
        header[headerFill++] = b;
        if (headerFill == 1 && !plan.begin(b)) {
            emit(i);
            from = -1;
            dropping = true;
        } else if (headerFill == 5) {
            int length = assemble();
            if (length < 4 || length > maxMessageBytes) {
                throw ProtocolException.violation("invalid backend message length " + length);
            }
            bodyLeft = length - 4L;
            firstBodyByte = MessageScanner.NO_BODY;
            if (bodyLeft == 0) {
                headerFill = 0;
                messageEnd(i + 1);
            }
        }
        return i + 1;
    }

    private int assemble() {
        return ((header[1] & 0xFF) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
    }

    private int body(int i, int end) {
        if (headerFill == 5) {
            firstBodyByte = current.getUnsignedByte(i);
            headerFill = 0;
            // A probe's answer here: Meridian lost track of its own answers; end the session, pass nothing on.
            if (header[0] == 'T' && probeColumn(i, end)) {
                throw ProtocolException.violation("a read-routing probe's answer reached the client's stream");
            }
        }
        int n = (int) Math.min(bodyLeft, end - i);
        bodyLeft -= n;
        i += n;
        if (bodyLeft == 0) {
            messageEnd(i);
        }
        return i;
    }

    /** A message ended just before index {@code i}: the plan moves on, due answers follow it. */
    private void messageEnd(int i) {
        if (dropping) {
            dropping = false;
            from = i;
        }
        plan.end(firstBodyByte);
        listener.onMessage(header[0], firstBodyByte);
        if (plan.hasSynth()) {
            emit(i);
            from = i;
            synths();
        }
    }

    private void emit(int to) {
        if (from >= 0 && to > from) {
            toClient(current.retainedSlice(from, to - from));
        }
        cut = true;
    }

    /** A RowDescription body at {@code i} naming a read-routing probe's column first (if all in this buffer). */
    private boolean probeColumn(int i, int end) {
        if (end - i < 2 + LsnReply.COLUMN_CSTRING.length) {
            return false;
        }
        for (int k = 0; k < LsnReply.COLUMN_CSTRING.length; k++) {
            if (current.getByte(i + 2 + k) != LsnReply.COLUMN_CSTRING[k]) {
                return false;
            }
        }
        return true;
    }

    private void toClient(ByteBuf b) {
        if (muted) {
            b.release();
        } else {
            client.write(b, client.voidPromise());
        }
    }

    /** True when something was written. */
    private boolean synths() {
        boolean wrote = false;
        for (Synth s = plan.nextSynth(); s != null; s = plan.nextSynth()) {
            wrote = true;
            ByteBuf out = client.alloc().buffer(64);
            SynthWriter.write(out, s);
            toClient(out);
            if (s.type() == Synth.Type.ERROR_READY) {
                listener.onMessage((byte) 'E', 'S');
            }
            if (s.type() == Synth.Type.DEALLOCATE || s.type() == Synth.Type.ERROR_READY) {
                listener.onMessage((byte) 'Z', s.status());
            }
        }
        return wrote;
    }
}
