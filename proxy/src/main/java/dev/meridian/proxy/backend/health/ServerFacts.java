package dev.meridian.proxy.backend.health;

import java.util.List;

/**
 * What a health check learns of a server besides its role: which cluster it is
 * ({@code pg_control_system().system_identifier}, null when the checking user may not read it)
 * and, for a primary, its WAL timeline (from {@code pg_walfile_name(pg_current_wal_lsn())}, null
 * for a replica); and its connection limits. For read routing (docs/read-routing.md):
 * {@code walLsn}, a primary's {@code pg_current_wal_lsn()} or a replica's
 * {@code pg_last_wal_replay_lsn()}, and {@code replayedAt}, a replica's
 * {@code pg_last_xact_replay_timestamp()} in epoch seconds (null when unknown).
 */
public record ServerFacts(String systemIdentifier, Long timeline, Integer maxConnections,
                          Integer superuserReservedConnections, Long walLsn, Double replayedAt) {

    public ServerFacts(String systemIdentifier, Long timeline, Integer maxConnections,
                       Integer superuserReservedConnections) {
        this(systemIdentifier, timeline, maxConnections, superuserReservedConnections, null, null);
    }

    /** From the health query's row after the first column; missing or null columns stay null. */
    static ServerFacts of(List<String> columns) {
        String lsn = column(columns, 5);
        return new ServerFacts(column(columns, 1), hex(column(columns, 2)), integer(column(columns, 3)),
                integer(column(columns, 4)), lsn == null ? null : dev.meridian.proxy.readrouting.Lsn.parseOrNull(lsn),
                decimal(column(columns, 6)));
    }

    private static Double decimal(String s) {
        try {
            return s == null ? null : Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String column(List<String> columns, int i) {
        return columns.size() > i ? columns.get(i) : null;
    }

    private static Long hex(String s) {
        try {
            return s == null ? null : Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether both this and {@code other} are primaries of the same cluster, this one on an older timeline. */
    boolean olderTimelineThan(ServerFacts other) {
        return systemIdentifier != null && timeline != null && other != null
                && systemIdentifier.equals(other.systemIdentifier) && other.timeline != null
                && timeline < other.timeline;
    }
}
