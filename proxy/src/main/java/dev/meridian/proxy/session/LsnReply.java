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
    /** The column name of every routing probe's answer: checked where answers are read (see {@link #foreign}). */
    static final String COLUMN = "meridian_probe:lsn";
    static final String SQL = "SELECT pg_current_wal_insert_lsn()::text AS \"" + COLUMN + "\"";
    /** {@link #COLUMN} as a RowDescription carries it: the name's bytes and its terminating 0. */
    static final byte[] COLUMN_CSTRING = (COLUMN + "\0").getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ROW = 128;

    private boolean active;
    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private final byte[] row = new byte[MAX_ROW];
    private int rowFill;
    private String value;
    /** Messages of the current answer read so far, and whether its first one was not this probe's. */
    private int messages;
    private boolean foreign;

    void expect() {
        active = true;
        value = null;
        rowFill = 0;
        messages = 0;
        foreign = false;
    }

    /**
     * True when the answer read was not this probe's (its first message neither a RowDescription
     * of {@link #COLUMN} nor an ErrorResponse): Meridian lost track of what the backend answers,
     * and the session must end rather than pass anyone's rows on.
     */
    boolean foreign() {
        return foreign;
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
                if (header[0] == 'D' || header[0] == 'T') {
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
                if (header[0] == 'D' || header[0] == 'T') {
                    rowFill = 0;
                }
                boolean async = header[0] == 'N' || header[0] == 'S' || header[0] == 'A';
                if (!async && messages++ == 0 && header[0] != 'T' && header[0] != 'E') {
                    foreign = true;
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
        } else if (header[0] == 'T' && !namesOurColumn()) {
            foreign = true;
        } else if (header[0] == 'Z') {
            active = false;
        }
    }

    /** RowDescription body: int16 field count, then the first field's name (a C string). */
    private boolean namesOurColumn() {
        if (rowFill < 2 + COLUMN_CSTRING.length) {
            return false;
        }
        for (int k = 0; k < COLUMN_CSTRING.length; k++) {
            if (row[2 + k] != COLUMN_CSTRING[k]) {
                return false;
            }
        }
        return true;
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
