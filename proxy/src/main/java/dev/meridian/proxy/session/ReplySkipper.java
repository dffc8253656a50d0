package dev.meridian.proxy.session;

import io.netty.buffer.ByteBuf;

/**
 * Swallows the backend's answer to a query Meridian sent on its own (the session settings
 * replayed on a transaction-pooled connection): every message up to and including its
 * ReadyForQuery, across buffer boundaries, so the client sees none of it. Notes an
 * ErrorResponse among them.
 */
final class ReplySkipper {
    private int pendingReady;
    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private boolean error;

    /** One more answer (one ReadyForQuery) to swallow. */
    void expect() {
        pendingReady++;
    }

    boolean active() {
        return pendingReady > 0;
    }

    /** True when an answer swallowed so far held an ErrorResponse. */
    boolean sawError() {
        return error;
    }

    /** Skips swallowed bytes at the start of {@code buf} (moves its reader index); stops after the last ReadyForQuery. */
    void skip(ByteBuf buf) {
        while (pendingReady > 0 && buf.isReadable()) {
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, buf.readableBytes());
                buf.skipBytes(n);
                bodyLeft -= n;
                if (bodyLeft == 0 && header[0] == 'Z') {
                    pendingReady--;
                }
                continue;
            }
            header[headerFill++] = buf.readByte();
            if (headerFill == 5) {
                headerFill = 0;
                int length = ((header[1] & 0xFF) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                        | (header[4] & 0xFF);
                bodyLeft = length - 4L;
                if (header[0] == 'E') {
                    error = true;
                }
                if (bodyLeft <= 0 && header[0] == 'Z') {
                    pendingReady--;
                }
            }
        }
    }
}
