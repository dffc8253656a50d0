package dev.meridian.proxy.metrics;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.routing.BackendHealth;
import dev.meridian.proxy.routing.HealthSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The per-backend gauges: {@code meridian_backend_up}, {@code meridian_backend_health_rtt_seconds}
 * and {@code meridian_pool_connections}. Their rows are rebuilt from the configured backends
 * and the latest health snapshot just before each scrape, so a reload that adds a backend, or a
 * role the health checker discovers ({@code auto} → {@code primary}), shows at the next scrape,
 * and a removed backend's series end.
 */
final class BackendGauges {
    private final MultiGauge up;
    private final MultiGauge rtt;
    private final MultiGauge pool;
    private final Supplier<List<BackendConfig>> backends;
    private volatile Supplier<HealthSnapshot> health;
    private volatile PoolStats poolStats;

    BackendGauges(MeterRegistry registry, Supplier<List<BackendConfig>> backends) {
        this.up = Meters.backendUp(registry);
        this.rtt = Meters.backendHealthRtt(registry);
        this.pool = Meters.poolConnections(registry);
        this.backends = backends;
        this.health = () -> HealthSnapshot.assumeUp(backends.get());
        this.poolStats = PoolStats.NONE;
    }

    void health(Supplier<HealthSnapshot> snapshots) {
        this.health = snapshots;
    }

    void pool(PoolStats stats) {
        this.poolStats = stats;
    }

    /** Before each scrape. Two scrapers may overlap: each rebuild is done whole. */
    synchronized void refresh() {
        HealthSnapshot snapshot = health.get();
        PoolStats stats = poolStats;
        List<MultiGauge.Row<?>> upRows = new ArrayList<>();
        List<MultiGauge.Row<?>> rttRows = new ArrayList<>();
        List<MultiGauge.Row<?>> poolRows = new ArrayList<>();
        for (BackendConfig b : backends.get()) {
            BackendHealth h = snapshot.health(b.name());
            Tags where = Tags.of(Meters.BACKEND_REGION, b.region(), Meters.BACKEND, b.name());
            upRows.add(MultiGauge.Row.of(where.and(Meters.ROLE, h.role().name().toLowerCase(Locale.ROOT)),
                    h.up() ? 1 : 0));
            // Not measured yet: NaN, so the series exists from the start and reads as "unknown", not 0 s.
            rttRows.add(MultiGauge.Row.of(where, h.rtt() == null ? Double.NaN : h.rtt().toNanos() / 1e9));
            poolRows.add(MultiGauge.Row.of(where.and(Meters.STATE, "idle"), stats.idle().applyAsInt(b.name())));
            poolRows.add(MultiGauge.Row.of(where.and(Meters.STATE, "active"), stats.active().applyAsInt(b.name())));
        }
        up.register(upRows, true);
        rtt.register(rttRows, true);
        pool.register(poolRows, true);
    }
}
