package dev.meridian.protocol.codec;

import dev.meridian.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Follows message boundaries in a relayed byte stream without copying, slicing or allocating:
 * the relay forwards each receive buffer whole and only asks this scanner where messages begin.
 * A header may straddle buffers; the scanner keeps the few bytes of state that needs.
 *
 * <p>For every message the listener learns its type, length, and first body byte (the
 * transaction status of a ReadyForQuery, for instance) as soon as those bytes have been seen.
 */
public final class MessageScanner {
    /** Passed as the first body byte for a message with an empty body. */
    public static final int NO_BODY = -1;

    @FunctionalInterface
    public interface Listener {
        void onMessage(byte type, int length, int firstBodyByte);
    }

    private final int maxMessageBytes;
    private final Listener listener;

    /** Body bytes (after the 5-byte header) of the current message not yet seen. */
    private long remaining;
    /** Header bytes of the current message collected so far when it straddles buffers (0..5). */
    private int headerFill;
    private byte type;
    private int length;
    /** Header complete but the first body byte has not arrived yet. */
    private boolean awaitingFirstByte;
    /** Index of the current message's type byte in the buffer being scanned; -1 if in an earlier one. */
    private int messageStart = -1;

    public MessageScanner(int maxMessageBytes, Listener listener) {
        this.maxMessageBytes = maxMessageBytes;
        this.listener = listener;
    }

    /** Scans the readable bytes of {@code buf} without moving its indexes. */
    public void scan(ByteBuf buf) {
        int i = buf.readerIndex();
        final int end = buf.writerIndex();
        messageStart = -1;
        while (i < end) {
            if (awaitingFirstByte) {
                awaitingFirstByte = false;
                listener.onMessage(type, length, buf.getUnsignedByte(i));
            }
            if (remaining > 0) {
                int n = (int) Math.min(remaining, end - i);
                i += n;
                remaining -= n;
            } else if (headerFill == 0 && end - i >= 6) {
                messageStart = i;
                type = buf.getByte(i);
                length = checkLength(buf.getInt(i + 1));
                remaining = length - 4;
                i += 5;
                listener.onMessage(type, length, remaining > 0 ? buf.getUnsignedByte(i) : NO_BODY);
            } else {
                if (headerFill == 0) {
                    messageStart = i;
                }
                collectHeaderByte(buf.getByte(i++));
            }
        }
    }

    private void collectHeaderByte(byte b) {
        if (headerFill == 0) {
            type = b;
            length = 0;
        } else {
            length = (length << 8) | (b & 0xFF);
        }
        if (++headerFill < 5) {
            return;
        }
        headerFill = 0;
        checkLength(length);
        remaining = length - 4;
        if (remaining > 0) {
            awaitingFirstByte = true;
        } else {
            listener.onMessage(type, length, NO_BODY);
        }
    }

    private int checkLength(int len) {
        if (len < 4 || len > maxMessageBytes) {
            throw ProtocolException.violation(len < 4 ? "invalid message length"
                    : "message of " + len + " bytes exceeds the limit of " + maxMessageBytes + " bytes");
        }
        return len;
    }

    /**
     * During a listener call: the index, in the buffer being scanned, of the reported message's
     * type byte, or -1 when that byte came in an earlier buffer (the header straddled two).
     */
    public int messageStart() {
        return messageStart;
    }

    /** True between messages: no partial header or body is pending. */
    public boolean atBoundary() {
        return remaining == 0 && headerFill == 0 && !awaitingFirstByte;
    }
}
