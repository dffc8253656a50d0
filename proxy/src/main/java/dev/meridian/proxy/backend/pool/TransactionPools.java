package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.PoolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The transaction pools, one per (backend, startup parameters): clients that sent the same
 * startup parameters (user, database, application_name, options ...) share connections, so the
 * session state those parameters set follows every client without being re-applied.
 */
public final class TransactionPools {
    /** The name of the relay handler a connection carries while it belongs to a transaction pool. */
    public static final String RELAY = "txn-relay";

    /** One pool's numbers: SHOW POOLS and the metrics read these. */
    public record Stats(String database, String user, String backend, String region, int clientsActive, int clientsWaiting,
                        int serversActive, int serversIdle, long maxWaitNanos) {
    }

    private record Key(String backend, Map<String, String> startup) {
    }

    private final BackendPool lender;
    private final Supplier<PoolConfig> config;
    private final Map<Key, SharedPool> pools = new ConcurrentHashMap<>();

    public TransactionPools(BackendPool lender, Supplier<PoolConfig> config) {
        this.lender = lender;
        this.config = config;
    }

    /** The pool for sessions on {@code backend} that log in with {@code startup}. */
    public SharedPool of(BackendConfig backend, StartupMessage startup, BackendCredentials credentials) {
        return pools.computeIfAbsent(new Key(backend.name(), startup.parameters()),
                k -> new SharedPool(lender, this, config, backend, startup, credentials));
    }

    /** Frees a slot of {@code backend} for {@code asking}: one idle connection of another of its pools closes. */
    void evictIdle(String backend, SharedPool asking) {
        for (Map.Entry<Key, SharedPool> e : pools.entrySet()) {
            if (e.getKey().backend().equals(backend) && e.getValue() != asking && e.getValue().evictOne()) {
                return;
            }
        }
    }

    public List<Stats> stats() {
        List<Stats> list = new ArrayList<>();
        pools.values().forEach(p -> list.add(p.stats()));
        return list;
    }

    /** Clients waiting for a connection, over all pools (meridian_clients_waiting). */
    public int waiting() {
        return stats().stream().mapToInt(Stats::clientsWaiting).sum();
    }
}
