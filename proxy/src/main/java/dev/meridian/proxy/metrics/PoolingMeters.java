package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The transaction pooling meters: {@code meridian_pool_pins_total{reason}},
 * {@code meridian_pool_wait_seconds} (how long a transaction waited for a connection),
 * {@code meridian_clients_waiting}, {@code meridian_transactions_total{backend_region, database}} and
 * {@code meridian_prepared_statements_total{outcome}}.
 */
public final class PoolingMeters {
    private final MeterRegistry registry;
    private final Timer wait;
    private final Counter prepared;
    private final Counter reused;
    private final Counter evicted;

    public PoolingMeters(MeterRegistry registry, IntSupplier waiting) {
        this.registry = registry;
        this.wait = Timer.builder("meridian_pool_wait_seconds")
                .description("How long a transaction-pooled client waited for a backend connection")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        this.prepared = statements(registry, "prepared");
        this.reused = statements(registry, "reused");
        this.evicted = statements(registry, "evicted");
        Gauge.builder("meridian_clients_waiting", waiting, IntSupplier::getAsInt)
                .description("Transaction-pooled clients waiting for a backend connection")
                .register(registry);
    }

    /** A client got pinned to its connection for {@code reason} (a fixed word). */
    public void pinned(String reason) {
        Counter.builder("meridian_pool_pins_total").tag("reason", reason)
                .description("Transaction-pooled clients pinned to their backend connection, by reason")
                .register(registry).increment();
    }

    private static Counter statements(MeterRegistry registry, String outcome) {
        return Counter.builder("meridian_prepared_statements_total").tag("outcome", outcome)
                .description("Protocol-level prepared statements in transaction mode: prepared on a backend "
                        + "connection, reused there without a Parse, or evicted (pool.max_prepared_statements)")
                .register(registry);
    }

    /** {@code outcome}: prepared, reused or evicted. */
    public void preparedStatement(String outcome) {
        switch (outcome) {
            case "prepared" -> prepared.increment();
            case "reused" -> reused.increment();
            default -> evicted.increment();
        }
    }

    public void waited(long nanos) {
        wait.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A counter bound once per session: one increment per transaction it runs. */
    public Counter transactions(String backendRegion, String database) {
        return Counter.builder("meridian_transactions_total").tag("backend_region", backendRegion)
                .tag("database", database)
                .description("Transactions (or statements / batches outside one) run in transaction mode")
                .register(registry);
    }
}
