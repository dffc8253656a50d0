package dev.meridian.proxy.backend.pool;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every open pooled backend connection, for SHOW SERVERS and SHOW POOLS, and RECONNECT: a
 * connection marked retired is closed instead of pooled when its session releases it, and at
 * once when it is idle.
 */
public final class ServerList {
    /**
     * One server connection as the admin console shows it.
     *
     * @param database the database the backend was asked for; {@code user} the login used
     * @param state    {@code active} (lent to a session, or being reset) or {@code idle}
     * @param shared   held by a transaction pool (its own numbers: {@code TransactionPools.stats()})
     */
    public record Server(String backend, String region, String user, String database, String state,
                         Instant connectTime, int remotePid, boolean retired, boolean shared) {
    }

    private final Set<PooledConnection> live = ConcurrentHashMap.newKeySet();

    void opened(PooledConnection c) {
        live.add(c);
        c.channel().closeFuture().addListener(f -> live.remove(c));
    }

    public List<Server> list() {
        return live.stream().filter(c -> c.channel().isActive()).map(ServerList::describe)
                .sorted(Comparator.comparing(Server::backend).thenComparing(Server::connectTime)).toList();
    }

    private static Server describe(PooledConnection c) {
        var params = c.key().startupParameters();
        return new Server(c.backend().name(), c.backend().region(), params.getOrDefault("user", ""),
                params.getOrDefault("database", ""), c.idle ? "idle" : "active", c.openedAt(),
                c.keyData() == null ? 0 : c.keyData().processId(), c.retired, c.shared);
    }

    /**
     * RECONNECT: every connection whose backend database {@code database} accepts is retired;
     * idle ones are closed now, lent ones when released. Returns how many were retired.
     */
    public int reconnect(Predicate<String> database) {
        int n = 0;
        for (PooledConnection c : live) {
            if (database.test(c.key().startupParameters().getOrDefault("database", ""))) {
                c.retired = true;
                n++;
                c.channel().eventLoop().execute(() -> {
                    if (c.idle) {
                        c.channel().close(); // the pool forgets it as it forgets a server that went away
                    }
                });
            }
        }
        return n;
    }
}
