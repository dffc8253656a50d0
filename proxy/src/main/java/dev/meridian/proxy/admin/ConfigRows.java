package dev.meridian.proxy.admin;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SHOW CONFIG: the settings in force, one key per row, named by their path in the file
 * ({@code health.interval}) and written as the file would write them ({@code 2s}, {@code 5m},
 * {@code 1GB}, {@code [ops]}); a backend or database rule is one row in YAML flow style.
 * Passwords are never shown: {@code "****"} when one is set.
 */
final class ConfigRows {
    private final List<List<String>> rows = new ArrayList<>();

    private ConfigRows() {
    }

    static List<List<String>> of(MeridianConfig c) {
        ConfigRows r = new ConfigRows();
        r.put("listen.host", c.listen().host()).put("listen.port", c.listen().port())
                .put("listen.proxy_protocol", c.listen().proxyProtocol())
                .put("listen.transaction_port", c.listen().transactionPort());
        r.put("admin.host", c.admin().host()).put("admin.port", c.admin().port())
                .put("admin.users", YamlText.list(c.admin().users()));
        r.put("region", c.region());
        if (c.tls() != null) { // no tls section: no TLS offered to clients
            r.put("tls.cert", c.tls().cert()).put("tls.key", c.tls().key()).put("tls.mode", c.tls().mode());
        }
        for (int i = 0; i < c.backends().size(); i++) {
            r.put("backends[" + i + "]", backend(c.backends().get(i)));
        }
        c.databases().forEach(rule -> r.put("databases." + YamlText.scalar(rule.pattern()), database(rule)));
        r.put("geo.mmdb", c.geo().mmdb()).put("geo.networks", "[" + String.join(", ", c.geo().networks().stream()
                .map(n -> "{ cidr: " + n.cidr() + ", region: " + YamlText.scalar(n.region()) + " }").toList()) + "]");
        r.put("auth.method", c.auth().method()).put("auth.users_file", c.auth().usersFile())
                .put("auth.auth_query", c.auth().authQuery());
        var backoff = c.auth().failureBackoff();
        r.put("auth.failure_backoff.after", backoff.after()).put("auth.failure_backoff.initial", backoff.initial())
                .put("auth.failure_backoff.max", backoff.max()).put("auth.failure_backoff.window", backoff.window());
        var h = c.health();
        r.put("health.interval", h.interval()).put("health.timeout", h.timeout()).put("health.rise", h.rise())
                .put("health.fall", h.fall()).put("health.grace_period", h.gracePeriod())
                .put("health.max_replica_lag", h.maxReplicaLag()).put("health.causal_wait", h.causalWait());
        var p = c.pool();
        r.put("pool.max_per_backend", p.maxPerBackend()).put("pool.idle_timeout", p.idleTimeout())
                .put("pool.reset_query", p.resetQuery()).put("pool.min_idle", p.minIdle())
                .put("pool.mode", p.mode()).put("pool.max_prepared_statements", p.maxPreparedStatements());
        var l = c.limits();
        r.put("limits.max_client_connections", l.maxClientConnections())
                .put("limits.startup_timeout", l.startupTimeout())
                .put("limits.max_message_bytes", Units.formatSize(l.maxMessageBytes()))
                .put("limits.idle_transaction_timeout", l.idleTransactionTimeout())
                .put("limits.query_wait_timeout", l.queryWaitTimeout());
        r.put("cluster.instance", c.cluster().instance())
                .put("cluster.peers", YamlText.list(c.cluster().peers().stream()
                        .map(peer -> peer.instance() + "@" + peer.host() + ":" + peer.port()).toList()))
                .put("cluster.peers_dns", c.cluster().peersDns());
        return r.rows;
    }

    private static String backend(BackendConfig b) {
        List<String> fields = new ArrayList<>(List.of("name: " + YamlText.scalar(b.name()),
                "region: " + YamlText.scalar(b.region()), "host: " + YamlText.scalar(b.host()), "port: " + b.port(),
                "role: " + lower(b.role())));
        if (b.user() != null) {
            fields.add("user: " + YamlText.scalar(b.user()));
        }
        if (b.password() != null) {
            fields.add("password: \"****\"");
        }
        String tls = "tls: { mode: " + lower(b.tls().mode()).replace('_', '-')
                + (b.tls().ca() == null ? "" : ", ca: " + YamlText.scalar(b.tls().ca().toString())) + " }";
        fields.add(tls);
        return "{ " + String.join(", ", fields) + " }";
    }

    private static String database(DatabaseRule rule) {
        List<String> fields = new ArrayList<>();
        if (!rule.regions().isEmpty()) {
            fields.add("regions: " + YamlText.list(rule.regions()));
        }
        fields.add("prefer: " + YamlText.scalar(rule.prefer().toString()));
        if (rule.backendDatabase() != null) {
            fields.add("backend_database: " + YamlText.scalar(rule.backendDatabase()));
        }
        if (rule.poolMode() != null) {
            fields.add("pool_mode: " + lower(rule.poolMode()));
        }
        if (rule.target() != dev.meridian.proxy.config.RuleTarget.READ_WRITE) {
            fields.add("target: " + lower(rule.target()).replace('_', '-'));
        }
        return "{ " + String.join(", ", fields) + " }";
    }

    /** One row; a null value is left out (the key is not set). */
    private ConfigRows put(String key, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Duration d ? YamlText.duration(d)
                : value instanceof Enum<?> e ? lower(e).replace('_', '-')
                : value instanceof String s && !s.startsWith("[") && !s.startsWith("{") ? YamlText.scalar(s)
                : value.toString();
        rows.add(List.of(key, text));
        return this;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
