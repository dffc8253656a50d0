package dev.meridian.proxy.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The columns of SHOW POOLS, in order: PgBouncer's names where the concept is the same, plus
 * {@code backend} and {@code backend_region} (a Meridian pool is per backend). {@code pool_mode}
 * is the row's mode ({@code session} or {@code transaction}); a feature may still plug in its own.
 */
public final class PoolColumns {
    private final List<PoolColumn> columns = new CopyOnWriteArrayList<>(List.of(
            new PoolColumn("database", PoolRow::database),
            new PoolColumn("user", PoolRow::user),
            new PoolColumn("backend", PoolRow::backend),
            new PoolColumn("backend_region", PoolRow::backendRegion),
            new PoolColumn("cl_active", r -> Integer.toString(r.clActive())),
            new PoolColumn("cl_waiting", r -> Integer.toString(r.clWaiting())),
            new PoolColumn("sv_active", r -> Integer.toString(r.svActive())),
            new PoolColumn("sv_idle", r -> Integer.toString(r.svIdle())),
            new PoolColumn("maxwait", r -> Long.toString(r.maxWaitNanos() / 1_000_000_000L)),
            new PoolColumn("maxwait_us", r -> Long.toString(r.maxWaitNanos() / 1000 % 1_000_000L)),
            new PoolColumn("pool_mode", PoolRow::mode)));

    /** Adds a column at the end, or replaces the one with the same name in place. */
    public synchronized void plug(PoolColumn column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column.name())) {
                columns.set(i, column);
                return;
            }
        }
        columns.add(column);
    }

    public List<String> names() {
        return columns.stream().map(PoolColumn::name).toList();
    }

    public List<List<String>> rows(List<PoolRow> rows) {
        List<PoolColumn> now = List.copyOf(columns);
        List<List<String>> out = new ArrayList<>(rows.size());
        for (PoolRow r : rows) {
            out.add(now.stream().map(c -> String.valueOf(c.value().apply(r))).toList());
        }
        return out;
    }
}
