package dev.meridian.proxy.ops;

import java.util.Comparator;
import java.util.List;

/**
 * SHOW STATS and SHOW STATS_TOTALS: per database, the numbers of every session relayed since the
 * proxy started. Averages are over that whole time (PgBouncer averages over its last
 * {@code stats_period}; Meridian keeps no periods).
 */
public final class SessionStats {
    private final DatabaseStats.Table table = new DatabaseStats.Table();
    private final long startedNanos = System.nanoTime();

    /**
     * A session on {@code database} got its backend after waiting {@code waitedNanos} (PAUSE,
     * pool slot, login); returns its tally, to be {@link #ended} once.
     */
    public SessionTally started(String database, long waitedNanos) {
        SessionTally tally = new SessionTally();
        table.of(database).started(tally, waitedNanos);
        return tally;
    }

    public void ended(String database, SessionTally tally) {
        table.of(database).ended(tally);
    }

    /** Whether a session on {@code database} got a backend since the proxy started. */
    public boolean seen(String database) {
        return table.all().containsKey(database);
    }

    /** Every database seen so far, by name. */
    public List<StatsTotals> totals() {
        return table.all().entrySet().stream().map(e -> e.getValue().totals(e.getKey()))
                .sorted(Comparator.comparing(StatsTotals::database)).toList();
    }

    /** Seconds since the proxy started, at least one: the divisor of the per-second averages. */
    public double seconds() {
        return Math.max(1.0, (System.nanoTime() - startedNanos) / 1e9);
    }
}
