package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Server connection pools, one per backend. {@code idleTimeout} zero means idle connections are
 * never closed; an empty {@code resetQuery} means connections are not reset between clients
 * (YAML {@code reset_query: ""}; omitting the key keeps {@code DISCARD ALL}). {@code minIdle}
 * logged-in connections are kept idle per pool (backend, backend user, backend database) that is
 * known from the configuration or has been used by a client; zero (the default) keeps none
 * (see {@code backend.pool.MinIdle}). {@code mode} is the pooling mode of databases whose rule
 * names none; {@code maxPreparedStatements} caps the protocol-level statements Meridian keeps
 * prepared per backend connection in transaction mode.
 */
public record PoolConfig(int maxPerBackend, Duration idleTimeout, String resetQuery, int minIdle,
                         PoolMode mode, int maxPreparedStatements) {

    public static final int DEFAULT_MAX_PREPARED_STATEMENTS = 200;

    public static final PoolConfig DEFAULT =
            new PoolConfig(100, Duration.ofMinutes(5), "DISCARD ALL", 0);

    public PoolConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(resetQuery, "resetQuery");
        Objects.requireNonNull(mode, "mode");
    }

    /** Session mode and the default prepared statement cap. */
    public PoolConfig(int maxPerBackend, Duration idleTimeout, String resetQuery, int minIdle) {
        this(maxPerBackend, idleTimeout, resetQuery, minIdle, PoolMode.SESSION, DEFAULT_MAX_PREPARED_STATEMENTS);
    }
}
