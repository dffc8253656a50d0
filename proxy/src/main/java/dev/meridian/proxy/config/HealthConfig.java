package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Backend health checks: probe every {@code interval}, give up after {@code timeout}; a backend
 * turns healthy after {@code rise} good probes in a row and unhealthy after {@code fall} bad ones;
 * {@code gracePeriod} after startup before an unhealthy verdict is acted on. For {@code target:
 * auto} (docs/read-routing.md): a replica further behind its primary than {@code maxReplicaLag}
 * takes no reads; a read that must see a client's own write waits up to {@code causalWait} for a
 * replica to replay it before it goes to the primary.
 */
public record HealthConfig(
        Duration interval, Duration timeout, int rise, int fall, Duration gracePeriod, Duration maxReplicaLag,
        Duration causalWait) {

    public static final Duration DEFAULT_MAX_REPLICA_LAG = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CAUSAL_WAIT = Duration.ofMillis(50);

    public static final HealthConfig DEFAULT = new HealthConfig(
            Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, Duration.ofSeconds(10));

    /** With the default replica lag allowance and causal wait. */
    public HealthConfig(Duration interval, Duration timeout, int rise, int fall, Duration gracePeriod) {
        this(interval, timeout, rise, fall, gracePeriod, DEFAULT_MAX_REPLICA_LAG, DEFAULT_CAUSAL_WAIT);
    }

    public HealthConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(maxReplicaLag, "maxReplicaLag");
        Objects.requireNonNull(causalWait, "causalWait");
    }
}
