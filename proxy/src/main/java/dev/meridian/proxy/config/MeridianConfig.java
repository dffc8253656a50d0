package dev.meridian.proxy.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole, validated configuration. Immutable; a reload builds a new instance.
 *
 * @param region    where this instance runs, and the location assumed for clients Meridian
 *                  cannot place
 * @param tls       TLS offered to clients, or null for none
 * @param regions   every known region: the built-in Fly.io regions merged with {@code regions:}
 *                  overrides, sorted by code
 * @param databases routing rules in file order; the first match wins
 * @param cluster   this instance's id and its siblings, for cancel requests that land on the
 *                  wrong instance
 * @param edge      the HTTP/WebSocket edge listener, or null when there is none
 */
public record MeridianConfig(
        ListenConfig listen,
        AdminConfig admin,
        String region,
        TlsConfig tls,
        Map<String, Coordinates> regions,
        List<BackendConfig> backends,
        List<DatabaseRule> databases,
        GeoConfig geo,
        AuthConfig auth,
        HealthConfig health,
        PoolConfig pool,
        LimitsConfig limits,
        ClusterConfig cluster,
        EdgeConfig edge) {

    public MeridianConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(region, "region");
        regions = Collections.unmodifiableMap(new TreeMap<>(regions));
        backends = List.copyOf(backends);
        databases = List.copyOf(databases);
        Objects.requireNonNull(geo, "geo");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(cluster, "cluster");
    }

    /** The first rule, in file order, whose pattern matches {@code database}. */
    public Optional<DatabaseRule> routeFor(String database) {
        return databases.stream().filter(rule -> rule.matches(database)).findFirst();
    }
}
