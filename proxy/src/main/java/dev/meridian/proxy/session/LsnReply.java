package dev.meridian.proxy.session;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads, and hides from the client, the answer to the {@code SELECT pg_current_wal_insert_lsn()} that a
 * {@code target: auto} session sends on its primary connection after a write unit (docs/
 * read-routing.md): every message up to its ReadyForQuery, across buffer boundaries, keeping the
 * first column of the DataRow (the position as text). Sent only when the connection has nothing
 * else outstanding, so its answer is always the next thing the backend says.
 */
final class LsnReply {
    static final String SQL = "SELECT pg_current_wal_insert_lsn()::text";
    private static final int MAX_ROW = 128;

    private boolean active;
    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private final byte[] row = new byte[MAX_ROW];
    private int rowFill;
    private String value;

    void expect() {
        active = true;
        value = null;
        rowFill = 0;
    }

    boolean active() {
        return active;
    }

    /** The position text of the last complete answer, null when it had no row (an error). */
    String value() {
        return value;
    }

    /** Consumes the answer's bytes at the start of {@code buf}; true when its ReadyForQuery was read. */
    boolean read(ByteBuf buf) {
        while (active && buf.isReadable()) {
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, buf.readableBytes());
                if (header[0] == 'D') {
                    int keep = Math.min(n, MAX_ROW - rowFill);
                    buf.readBytes(row, rowFill, keep);
                    rowFill += keep;
                    buf.skipBytes(n - keep);
                } else {
                    buf.skipBytes(n);
                }
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    ended();
                }
                continue;
            }
            header[headerFill++] = buf.readByte();
            if (headerFill == 5) {
                headerFill = 0;
                bodyLeft = (((header[1] & 0xFF) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                        | (header[4] & 0xFF)) - 4L;
                if (header[0] == 'D') {
                    rowFill = 0;
                }
                if (bodyLeft <= 0) {
                    ended();
                }
            }
        }
        return !active;
    }

    private void ended() {
        if (header[0] == 'D') {
            value = firstColumn();
        } else if (header[0] == 'Z') {
            active = false;
        }
    }

    /** DataRow body: int16 column count, then int32 length and bytes per column. */
    private String firstColumn() {
        if (rowFill < 6) {
            return null;
        }
        int len = ((row[2] & 0xFF) << 24) | ((row[3] & 0xFF) << 16) | ((row[4] & 0xFF) << 8) | (row[5] & 0xFF);
        return len < 0 || 6 + len > rowFill ? null : new String(row, 6, len, StandardCharsets.US_ASCII);
    }
}
