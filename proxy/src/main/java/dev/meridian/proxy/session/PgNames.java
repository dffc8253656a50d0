package dev.meridian.proxy.session;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Database and user names as PostgreSQL will see them: at most NAMEDATALEN - 1 (63) bytes.
 *
 * <p>PostgreSQL cuts longer names in the startup packet at byte 63 ({@code ProcessStartupPacket}),
 * so {@code "a" * 64} opens the database {@code "a" * 63}. Meridian cuts them the same way
 * <em>before</em> matching database rules, routing and authentication, and forwards the cut
 * name, so the name a rule matched is the name the backend opens: a 64-byte name cannot fall to
 * {@code "*"} in another region and there be opened as the protected 63-byte name.
 *
 * <p>A cut never splits a UTF-8 character (as {@code pg_mbcliplen} does for identifiers in SQL):
 * the whole character is dropped, and because the shorter name is forwarded, routing and the
 * backend still agree on it.
 */
public final class PgNames {
    /** NAMEDATALEN - 1. */
    public static final int MAX_BYTES = 63;

    private PgNames() {
    }

    /** {@code name} cut to at most 63 UTF-8 bytes at a character boundary; null stays null. */
    public static String truncate(String name) {
        if (name == null || name.length() * 3 <= MAX_BYTES
                || name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return name;
        }
        int bytes = 0;
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int size = utf8Length(cp);
            if (bytes + size > MAX_BYTES) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return name.substring(0, i);
    }

    /** The startup parameters with {@code user} and {@code database} cut like PostgreSQL cuts them. */
    public static Map<String, String> truncateStartup(Map<String, String> parameters) {
        Map<String, String> out = new LinkedHashMap<>(parameters);
        out.computeIfPresent("user", (k, v) -> truncate(v));
        out.computeIfPresent("database", (k, v) -> truncate(v));
        return out;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
