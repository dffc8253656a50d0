package dev.meridian.proxy.readrouting;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes {@code SET meridian.min_lsn = 'X/Y'} (or {@code TO}), the statement a TCP client of
 * a {@code target: auto} database sends to carry a read-your-writes floor over from elsewhere
 * (another connection, another instance): Meridian answers it itself and never forwards it.
 */
public final class MinLsnSetting {
    private static final Pattern SET = Pattern.compile(
            "\\s*set\\s+(?:session\\s+)?meridian\\.min_lsn\\s*(?:=|\\s+to\\s+)\\s*('?)([^';\\s]*)\\1\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);

    /** The outcome: {@code lsn} when the value is a WAL position, else {@code error} says why. */
    public record Parsed(long lsn, String error) {
    }

    private MinLsnSetting() {
    }

    /** Null when {@code sql} is not this statement (then it goes to the backend as usual). */
    public static Parsed of(String sql) {
        if (sql.length() > 200) {
            return null;
        }
        Matcher m = SET.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        Long lsn = Lsn.parseOrNull(m.group(2));
        return lsn == null ? new Parsed(-1, "invalid value for parameter \"meridian.min_lsn\": \"" + m.group(2)
                + "\" (a WAL position X/Y, e.g. 0/16B3748)") : new Parsed(lsn, null);
    }
}
