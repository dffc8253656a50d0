package dev.meridian.proxy.admin;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.SessionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SHOW DATABASES, ROUTES and BACKENDS: the configuration's rules and backends with their live state. */
final class ConfigTables {
    private final ProxyContext proxy;

    ConfigTables(ProxyContext proxy) {
        this.proxy = proxy;
    }

    /** One row per databases rule, with PgBouncer's column names where they apply. */
    ResultTable databases() {
        MeridianConfig c = proxy.config();
        List<SessionRegistry.Entry> sessions = proxy.sessions().list();
        List<List<String>> rows = new ArrayList<>();
        for (DatabaseRule r : c.databases()) {
            long clients = sessions.stream().filter(e -> c.routeFor(e.database()).orElse(null) == r).count();
            rows.add(List.of(r.pattern(), regions(r), r.prefer().toString(),
                    r.backendDatabase() == null ? "" : r.backendDatabase(), Integer.toString(c.pool().maxPerBackend()),
                    Integer.toString(c.pool().minIdle()), "session", Long.toString(clients),
                    proxy.pauses().isPaused(r.pattern(), r.pattern()) ? "1" : "0"));
        }
        return new ResultTable(List.of("name", "regions", "prefer", "database", "pool_size", "min_pool_size",
                "pool_mode", "current_client_connections", "paused"), rows, "SHOW");
    }

    /** One row per rule; {@code state} says {@code paused}, or which names under it are. */
    ResultTable routes() {
        MeridianConfig c = proxy.config();
        List<String> pausedNames = proxy.pauses().pausedDatabases();
        List<List<String>> rows = new ArrayList<>();
        for (DatabaseRule r : c.databases()) {
            String state;
            if (proxy.pauses().isPaused(r.pattern(), r.pattern())) {
                state = "paused";
            } else {
                List<String> some = pausedNames.stream()
                        .filter(n -> c.routeFor(n).orElse(null) == r).sorted().toList();
                state = some.isEmpty() ? "" : "paused: " + String.join(",", some);
            }
            rows.add(List.of(r.pattern(), regions(r), r.prefer().toString(),
                    r.backendDatabase() == null ? "" : r.backendDatabase(), state));
        }
        return new ResultTable(List.of("database", "regions", "prefer", "backend_database", "state"), rows, "SHOW");
    }

    /**
     * Every backend with its followed role, health and smoothed RTT (blank while down or
     * unmeasured), and whether its configured login user is a superuser (yes/no, blank: unknown).
     */
    ResultTable backends() {
        List<List<String>> rows = new ArrayList<>();
        for (BackendConfig b : proxy.config().backends()) {
            var health = proxy.health().health(b.name());
            rows.add(List.of(b.name(), b.region(), b.host(), Integer.toString(b.port()),
                    health.role().name().toLowerCase(Locale.ROOT), health.up() ? "up" : "down",
                    health.rtt() == null || !health.up() ? ""
                            : String.format(Locale.ROOT, "%.2f", health.rtt().toNanos() / 1e6),
                    proxy.healthMonitor().superusers().describe(b.name())));
        }
        return new ResultTable(List.of("name", "region", "host", "port", "role", "state", "rtt_ms", "superuser"),
                rows, "SHOW");
    }

    private static String regions(DatabaseRule r) {
        return r.regions().isEmpty() ? "(all)" : String.join(",", r.regions());
    }
}
