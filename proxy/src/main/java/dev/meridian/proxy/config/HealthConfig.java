package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Backend health checks: probe every {@code interval}, give up after {@code timeout}; a backend
 * turns healthy after {@code rise} good probes in a row and unhealthy after {@code fall} bad ones;
 * {@code gracePeriod} after startup before an unhealthy verdict is acted on.
 */
public record HealthConfig(
        Duration interval, Duration timeout, int rise, int fall, Duration gracePeriod) {

    public static final HealthConfig DEFAULT = new HealthConfig(
            Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, Duration.ofSeconds(10));

    public HealthConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
    }
}
