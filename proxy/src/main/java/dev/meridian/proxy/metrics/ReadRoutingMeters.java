package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The read routing meters (docs/read-routing.md): {@code meridian_read_routing_total{backend_region,
 * decision}}, one count per unit of a {@code target: auto} session, and
 * {@code meridian_replica_lag_seconds{backend}}, each replica's lag behind its primary as the
 * health checks measure it (NaN until measured).
 */
public final class ReadRoutingMeters {
    private final MeterRegistry registry;
    private final ToDoubleFunction<String> lagOf;
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Gauge> lags = new ConcurrentHashMap<>();

    /** @param lagOf a backend name's lag in seconds (NaN: unknown) */
    public ReadRoutingMeters(MeterRegistry registry, ToDoubleFunction<String> lagOf) {
        this.registry = registry;
        this.lagOf = lagOf;
    }

    /** A unit went to a backend of {@code region} for {@code decision} (a fixed word). */
    public void routed(String region, String decision) {
        decisions.computeIfAbsent(region + '\0' + decision, k -> Counter.builder("meridian_read_routing_total")
                .description("Units (transactions or statements) of target: auto sessions, by where they went and why")
                .tag(Meters.BACKEND_REGION, region).tag("decision", decision).register(registry)).increment();
    }

    /** Shows {@code backend}'s lag from now on (idempotent). */
    public void replica(String backend) {
        lags.computeIfAbsent(backend, b -> Gauge.builder("meridian_replica_lag_seconds", () -> lagOf.applyAsDouble(b))
                .description("How far a replica is behind its primary, from WAL positions (NaN: not measured yet)")
                .tag(Meters.BACKEND, b).register(registry));
    }
}
