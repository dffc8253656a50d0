package dev.meridian.proxy.backend.pool;

import dev.meridian.proxy.config.BackendConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which pooled connections a reload has retired: those logged in to a backend whose address,
 * port, TLS settings or credentials changed, or that was removed. A retired connection is never
 * lent again: idle ones are closed at once, busy ones when their session ends (the session
 * itself keeps its backend, as a reload promises). Before the first reload nothing is retired.
 */
final class Retirement {
    private volatile Map<String, BackendConfig> current;

    /** The backends of the configuration now in force. */
    void configure(List<BackendConfig> backends) {
        Map<String, BackendConfig> map = new LinkedHashMap<>();
        backends.forEach(b -> map.putIfAbsent(b.name(), b));
        current = map;
    }

    boolean retired(PooledConnection c) {
        Map<String, BackendConfig> now = current;
        if (now == null) {
            return false;
        }
        BackendConfig b = now.get(c.backend().name());
        return b == null || !sameServer(b, c.backend());
    }

    /** Whether a connection made for {@code a} is one {@code b} would make: same server, same login. */
    static boolean sameServer(BackendConfig a, BackendConfig b) {
        return a.host().equals(b.host()) && a.port() == b.port() && Objects.equals(a.tls(), b.tls())
                && Objects.equals(a.user(), b.user()) && Objects.equals(a.password(), b.password());
    }
}
