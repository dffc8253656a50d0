package dev.meridian.proxy.admin;

import dev.meridian.proxy.backend.pool.ServerList;
import dev.meridian.proxy.backend.pool.TransactionPools;
import dev.meridian.proxy.ops.PoolRow;
import dev.meridian.proxy.session.SessionRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups sessions and server connections into SHOW POOLS rows, one per (backend database,
 * backend login, backend, mode). Session-mode rows are counted here from the sessions and server
 * connections; transaction-mode rows come from the transaction pools' own numbers (several pools
 * of one key, e.g. different application_name, are summed). Pure: lists in, rows out.
 */
final class PoolTable {
    private record Key(String database, String user, String backend, String mode) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::database)
                .thenComparing(Key::user).thenComparing(Key::backend).thenComparing(Key::mode);

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

    private static final String SESSION = "session";
    private static final String TRANSACTION = "transaction";

    private PoolTable() {
    }

    static List<PoolRow> rows(List<SessionRegistry.Entry> sessions, List<ServerList.Server> servers,
                              List<TransactionPools.Stats> transactionPools, long nowNanos) {
        Map<Key, Counts> pools = new TreeMap<>();
        for (SessionRegistry.Entry e : sessions) {
            if (e.transactionPooled()) {
                continue;
            }
            Counts c = pools.computeIfAbsent(new Key(e.poolDatabase(), e.poolUser(), e.backend(), SESSION),
                    k -> new Counts());
            c.region = e.backendRegion();
            if (e.state() == SessionRegistry.State.ACTIVE) {
                c.clActive++;
            } else {
                c.clWaiting++;
                c.maxWait = Math.max(c.maxWait, nowNanos - e.waitStartNanos());
            }
        }
        for (ServerList.Server s : servers) {
            if (s.shared()) {
                continue;
            }
            Counts c = pools.computeIfAbsent(new Key(s.database(), s.user(), s.backend(), SESSION), k -> new Counts());
            c.region = s.region();
            if ("idle".equals(s.state())) {
                c.svIdle++;
            } else {
                c.svActive++;
            }
        }
        transactionPools.forEach(t -> add(pools, t));
        List<PoolRow> rows = new ArrayList<>(pools.size());
        pools.forEach((k, c) -> rows.add(new PoolRow(k.database(), k.user(), k.backend(), c.region, c.clActive,
                c.clWaiting, c.svActive, c.svIdle, c.maxWait, k.mode())));
        return rows;
    }

    private static void add(Map<Key, Counts> pools, TransactionPools.Stats t) {
        Counts c = pools.computeIfAbsent(new Key(t.database(), t.user(), t.backend(), TRANSACTION), k -> new Counts());
        c.region = t.region();
        c.clActive += Math.max(0, t.clientsActive() - t.clientsWaiting()); // waiters at login are not clients yet
        c.clWaiting += t.clientsWaiting();
        c.svActive += t.serversActive();
        c.svIdle += t.serversIdle();
        c.maxWait = Math.max(c.maxWait, t.maxWaitNanos());
    }
}
