package dev.meridian.proxy.backend.pool;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lets a plain warm connection (logged in with only user and database) serve a client whose
 * driver sent more startup parameters: the client's values are applied with
 * {@code set_config(name, value, false)}, which parses a value exactly as a startup parameter
 * is parsed (lists such as DateStyle "ISO, MDY" or a search_path included). The server answers
 * with ParameterStatus for the reported ones, so the client is greeted with its own values.
 *
 * <p>Only parameters a driver commonly sends and any user may SET are applied this way (the
 * set PgBouncer tracks, plus extra_float_digits and search_path, which pgjdbc sends). One
 * difference from a startup parameter remains: inside the session, {@code RESET} or
 * {@code DISCARD ALL} returns such a parameter to the server's default, not to the client's
 * startup value. A client sending anything else (options, replication, other settings) gets an
 * exact-key connection of its own, as without min_idle.
 */
final class Adoption {
    static final Set<String> SETTABLE = Set.of("application_name", "client_encoding", "datestyle", "timezone",
            "intervalstyle", "extra_float_digits", "search_path", "standard_conforming_strings");

    private Adoption() {
    }

    /** Whether a client with this key could take a plain connection of its user and database. */
    static boolean possible(PoolKey key) {
        if (WarmKey.isPlain(key)) {
            return false;
        }
        for (String name : key.startupParameters().keySet()) {
            if (!name.equals("user") && !name.equals("database") && !SETTABLE.contains(name.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** One simple query that applies the key's parameters beyond user and database (sorted by name). */
    static String query(PoolKey key) {
        return query(key, Map.of());
    }

    /**
     * The query for the parameters whose value differs from what the server last reported
     * ({@code current}: ParameterStatus name to value), or null when every one already holds:
     * then the connection is lent at once, without a round trip (e.g. {@code client_encoding=UTF8}
     * on a UTF8 database).
     */
    static String query(PoolKey key, Map<String, String> current) {
        Map<String, String> reported = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        reported.putAll(current);
        StringBuilder sql = new StringBuilder("SELECT ");
        String sep = "";
        for (Map.Entry<String, String> e : new TreeMap<>(key.startupParameters()).entrySet()) {
            if (e.getKey().equals("user") || e.getKey().equals("database")
                    || e.getValue().equals(reported.get(e.getKey()))) {
                continue;
            }
            sql.append(sep).append("pg_catalog.set_config(").append(literal(e.getKey())).append(", ")
                    .append(literal(e.getValue())).append(", false)");
            sep = ", ";
        }
        return sep.isEmpty() ? null : sql.toString();
    }

    /**
     * An escape-string literal: means the same whatever standard_conforming_strings is. A
     * startup parameter cannot hold a NUL, so none needs escaping.
     */
    static String literal(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
