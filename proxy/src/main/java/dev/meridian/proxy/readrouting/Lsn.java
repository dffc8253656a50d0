package dev.meridian.proxy.readrouting;

/**
 * PostgreSQL's {@code pg_lsn} text form {@code X/Y} (two hexadecimal halves of a 64-bit WAL
 * position), as a long; positions compare as unsigned numbers, which for any real cluster (far
 * below 2^63 bytes of WAL) is plain {@code <}.
 */
public final class Lsn {
    private Lsn() {
    }

    /** The position {@code text} names; IllegalArgumentException when it is not {@code X/Y}. */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not a WAL position (X/Y): \"" + text + "\"");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return high << 32 | low;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a WAL position (X/Y): \"" + text + "\"");
        }
    }

    /** Like {@link #parse}, null for text that is not a position. */
    public static Long parseOrNull(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }
}
