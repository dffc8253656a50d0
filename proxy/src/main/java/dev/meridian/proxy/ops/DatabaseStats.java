package dev.meridian.proxy.ops;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SHOW STATS numbers of one database (the name clients asked for): the sums of its ended
 * sessions, plus its live sessions' tallies read when asked. Sessions touch this only when they
 * start and end, never per query.
 */
final class DatabaseStats {
    private final LongAdder[] ended = new LongAdder[SessionTally.SLOTS];
    private final Set<SessionTally> live = ConcurrentHashMap.newKeySet();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder waits = new LongAdder();

    DatabaseStats() {
        for (int i = 0; i < ended.length; i++) {
            ended[i] = new LongAdder();
        }
    }

    void started(SessionTally tally, long waitedNanos) {
        live.add(tally);
        waits.increment();
        waitNanos.add(waitedNanos);
    }

    void ended(SessionTally tally) {
        if (live.remove(tally)) {
            for (int i = 0; i < ended.length; i++) {
                ended[i].add(tally.get(i));
            }
        }
    }

    /** The totals now, ended and live sessions together. */
    StatsTotals totals(String database) {
        long[] sum = new long[SessionTally.SLOTS];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = ended[i].sum();
        }
        for (SessionTally t : live) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += t.get(i);
            }
        }
        return new StatsTotals(database, sum[SessionTally.XACTS], sum[SessionTally.QUERIES],
                sum[SessionTally.RECEIVED], sum[SessionTally.SENT], sum[SessionTally.XACT_NANOS] / 1000,
                sum[SessionTally.QUERY_NANOS] / 1000, waitNanos.sum() / 1000, waits.sum());
    }

    /** Stats per database, created on a session's start. */
    static final class Table {
        private final Map<String, DatabaseStats> byDatabase = new ConcurrentHashMap<>();

        DatabaseStats of(String database) {
            return byDatabase.computeIfAbsent(database, d -> new DatabaseStats());
        }

        Map<String, DatabaseStats> all() {
            return byDatabase;
        }
    }
}
