package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.HealthConfig;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.server.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one {@link HealthChecker} per backend, spread over the proxy's worker event loops (no
 * thread of its own), and the current {@link HealthReport}. Checkers publish by compare-and-set
 * on one reference, so readers (the router, admin routes, metrics) never lock: they read
 * {@link #current()} and keep that immutable report for as long as they need it.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final List<BackendConfig> backends;
    private final HealthConfig config;
    private final EventLoopGroup loops;
    private final HealthProbe probe;
    private final AtomicReference<HealthReport> report;
    private volatile Map<String, HealthChecker> checkers = Map.of();

    /** {@code connector} is used for probes only; it should time out as {@code config.timeout()}. */
    public HealthMonitor(List<BackendConfig> backends, HealthConfig config, EventLoopGroup loops,
                         BackendConnector connector) {
        this.backends = List.copyOf(backends);
        this.config = config;
        this.loops = loops;
        this.probe = new HealthProbe(connector, config.timeout());
        this.report = new AtomicReference<>(HealthReport.initial(backends, Instant.now()));
    }

    /** A monitor for {@code config}'s backends, with a probe connector bounded by {@code health.timeout}. */
    public static HealthMonitor forConfig(MeridianConfig config, Transport transport, EventLoopGroup loops) {
        HealthConfig health = config.health();
        BackendConnector connector = new BackendConnector(transport, (int) config.limits().maxMessageBytes(),
                health.timeout(), health.timeout());
        return new HealthMonitor(config.backends(), health, loops, connector);
    }

    /** Starts every checker; the grace period counts from now. */
    public synchronized void start() {
        if (!checkers.isEmpty()) {
            throw new IllegalStateException("health checks already started");
        }
        long graceEndsAt = System.nanoTime() + config.gracePeriod().toNanos();
        Map<String, HealthChecker> started = new LinkedHashMap<>();
        for (BackendConfig b : backends) {
            RiseFall verdict = new RiseFall(config.rise(), config.fall(), graceEndsAt);
            HealthChecker checker = new HealthChecker(b, config.interval(), verdict, loops.next(), probe,
                    report.get().status(b.name()).orElseThrow().since(), this::publish);
            started.putIfAbsent(b.name(), checker);
        }
        checkers = Map.copyOf(started);
        started.values().forEach(HealthChecker::start);
    }

    /** The latest report: immutable, read without locks. */
    public HealthReport current() {
        return report.get();
    }

    /**
     * Evidence from the session path: a connect to {@code backend} failed. The backend leaves
     * routing at once (as soon as its checker's loop runs the task) and is re-probed at once.
     */
    public void suspect(BackendConfig backend, String reason) {
        HealthChecker checker = checkers.get(backend.name());
        if (checker != null && current().health(backend.name()).up()) {
            checker.suspect(reason);
        }
    }

    /** Stops the checkers; a probe in flight finishes on its own and is ignored. */
    @Override
    public void close() {
        for (HealthChecker c : checkers.values()) {
            try {
                c.stop();
            } catch (RejectedExecutionException e) {
                // Its event loop is already shut down: nothing left to stop.
            }
        }
    }

    private void publish(BackendStatus status) {
        HealthReport before;
        HealthReport after;
        do {
            before = report.get();
            after = before.with(status);
        } while (!report.compareAndSet(before, after));
        // Each publisher sees its own consecutive pair, so a region's flip is logged exactly once.
        String region = status.region();
        if (after.regionDown(region) && !before.regionDown(region)) {
            LOG.warn("all backends of region {} are down", region);
        } else if (before.regionDown(region) && !after.regionDown(region)) {
            LOG.info("region {} has a backend up again", region);
        }
    }
}
