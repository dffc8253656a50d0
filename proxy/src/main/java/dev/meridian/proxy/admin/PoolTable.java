package dev.meridian.proxy.admin;

import dev.meridian.proxy.backend.pool.ServerList;
import dev.meridian.proxy.ops.PoolRow;
import dev.meridian.proxy.session.SessionRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups sessions and server connections into SHOW POOLS rows, one per (backend database,
 * backend login, backend). Pure: sessions and servers in, rows out.
 */
final class PoolTable {
    private record Key(String database, String user, String backend) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::database)
                .thenComparing(Key::user).thenComparing(Key::backend);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    private static final class Counts {
        String region = "";
        int clActive;
        int clWaiting;
        int svActive;
        int svIdle;
        long maxWait;
    }

    private PoolTable() {
    }

    static List<PoolRow> rows(List<SessionRegistry.Entry> sessions, List<ServerList.Server> servers, long nowNanos) {
        Map<Key, Counts> pools = new TreeMap<>();
        for (SessionRegistry.Entry e : sessions) {
            Counts c = pools.computeIfAbsent(new Key(e.poolDatabase(), e.poolUser(), e.backend()), k -> new Counts());
            c.region = e.backendRegion();
            if (e.state() == SessionRegistry.State.ACTIVE) {
                c.clActive++;
            } else {
                c.clWaiting++;
                c.maxWait = Math.max(c.maxWait, nowNanos - e.waitStartNanos());
            }
        }
        for (ServerList.Server s : servers) {
            Counts c = pools.computeIfAbsent(new Key(s.database(), s.user(), s.backend()), k -> new Counts());
            c.region = s.region();
            if ("idle".equals(s.state())) {
                c.svIdle++;
            } else {
                c.svActive++;
            }
        }
        List<PoolRow> rows = new ArrayList<>(pools.size());
        pools.forEach((k, c) -> rows.add(new PoolRow(k.database(), k.user(), k.backend(), c.region, c.clActive,
                c.clWaiting, c.svActive, c.svIdle, c.maxWait)));
        return rows;
    }
}
