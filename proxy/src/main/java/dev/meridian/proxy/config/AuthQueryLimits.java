package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code auth.auth_query} may cost a backend: at most {@code connections} lookups at once
 * per backend ({@code auth.auth_query_connections}; more wait their turn, within the timeout),
 * each given up after {@code timeout} ({@code auth.auth_query_timeout}), when the backend also
 * cancels it ({@code statement_timeout}).
 */
public record AuthQueryLimits(int connections, Duration timeout) {
    public static final AuthQueryLimits DEFAULT = new AuthQueryLimits(3, Duration.ofSeconds(5));

    public AuthQueryLimits {
        Objects.requireNonNull(timeout, "timeout");
    }
}
