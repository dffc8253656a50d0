package dev.meridian.proxy.admin;

import dev.meridian.proxy.ops.SessionStats;
import dev.meridian.proxy.ops.StatsTotals;
import java.util.ArrayList;
import java.util.List;

/**
 * SHOW STATS and SHOW STATS_TOTALS with PgBouncer's columns: counts, bytes, microseconds. The
 * {@code avg_*} rates are per second since the proxy started; {@code avg_*_time} per query or
 * transaction; {@code avg_wait_time} per session that got a backend.
 */
final class StatsTables {
    private StatsTables() {
    }

    static ResultTable stats(SessionStats stats) {
        double secs = stats.seconds();
        List<List<String>> rows = new ArrayList<>();
        for (StatsTotals t : stats.totals()) {
            rows.add(List.of(t.database(), n(t.xactCount()), n(t.queryCount()), n(t.received()), n(t.sent()),
                    n(t.xactMicros()), n(t.queryMicros()), n(t.waitMicros()),
                    n(Math.round(t.xactCount() / secs)), n(Math.round(t.queryCount() / secs)),
                    n(Math.round(t.received() / secs)), n(Math.round(t.sent() / secs)),
                    n(per(t.xactMicros(), t.xactCount())), n(per(t.queryMicros(), t.queryCount())),
                    n(per(t.waitMicros(), t.waits()))));
        }
        return new ResultTable(List.of("database", "total_xact_count", "total_query_count", "total_received",
                "total_sent", "total_xact_time", "total_query_time", "total_wait_time", "avg_xact_count",
                "avg_query_count", "avg_recv", "avg_sent", "avg_xact_time", "avg_query_time", "avg_wait_time"),
                rows, "SHOW");
    }

    static ResultTable totals(SessionStats stats) {
        List<List<String>> rows = new ArrayList<>();
        for (StatsTotals t : stats.totals()) {
            rows.add(List.of(t.database(), n(t.xactCount()), n(t.queryCount()), n(t.received()), n(t.sent()),
                    n(t.xactMicros()), n(t.queryMicros()), n(t.waitMicros())));
        }
        return new ResultTable(List.of("database", "xact_count", "query_count", "bytes_received", "bytes_sent",
                "xact_time", "query_time", "wait_time"), rows, "SHOW");
    }

    private static long per(long total, long count) {
        return count == 0 ? 0 : total / count;
    }

    private static String n(long value) {
        return Long.toString(value);
    }
}
