package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
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
import java.util.function.Function;
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

    private final EventLoopGroup loops;
    private final Function<HealthConfig, HealthProbe> probes;
    private final AtomicReference<HealthReport> report;
    private final BackendActivity activity = new BackendActivity();
    private final SuperuserLogins superusers = new SuperuserLogins();
    private final dev.meridian.proxy.readrouting.WalPositions positions = new dev.meridian.proxy.readrouting.WalPositions();
    private List<BackendConfig> backends;
    private HealthConfig config;
    private HealthProbe probe;
    private long graceEndsAt;
    private boolean started;
    private volatile Map<String, HealthChecker> checkers = Map.of();
    /** Says when a backend's limits are too small for this instance ({@link ConnectionBudget}); none until set. */
    private volatile java.util.function.BiFunction<BackendConfig, ServerFacts, java.util.Optional<String>> budget =
            (b, f) -> java.util.Optional.empty();
    private final Map<String, String> budgetWarned = new java.util.concurrent.ConcurrentHashMap<>();

    HealthMonitor(List<BackendConfig> backends, HealthConfig config, EventLoopGroup loops,
                  Function<HealthConfig, HealthProbe> probes) {
        this.backends = List.copyOf(backends);
        this.config = config;
        this.loops = loops;
        this.probes = probes;
        this.probe = probes.apply(config);
        this.report = new AtomicReference<>(HealthReport.initial(backends, Instant.now()));
    }

    /** A monitor for {@code config}'s backends; its probes give up after {@code health.timeout}. */
    public static HealthMonitor forConfig(MeridianConfig config, Transport transport, EventLoopGroup loops) {
        int maxMessageBytes = (int) config.limits().maxMessageBytes();
        return new HealthMonitor(config.backends(), config.health(), loops, health -> new HealthProbe(
                new BackendConnector(transport, maxMessageBytes, health.timeout(), health.timeout()), health.timeout()));
    }

    /** Starts every checker; the grace period counts from now. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("health checks already started");
        }
        started = true;
        graceEndsAt = System.nanoTime() + config.gracePeriod().toNanos();
        Map<String, HealthChecker> all = new LinkedHashMap<>();
        for (BackendConfig b : backends) {
            all.putIfAbsent(b.name(), checker(b, report.get().status(b.name()).orElseThrow()));
        }
        checkers = Map.copyOf(all);
        all.values().forEach(HealthChecker::start);
    }

    /**
     * Hot reload. A backend whose definition and check settings did not change keeps its checker
     * and verdict; a changed one gets a new checker that carries over what was known of the same
     * server (a down backend stays down); a new one starts assumed up, as at start; a removed one
     * is forgotten. The grace period is not restarted.
     */
    public synchronized void reconfigure(List<BackendConfig> nextBackends, HealthConfig nextConfig) {
        boolean sameChecks = nextConfig.equals(config);
        if (!sameChecks) {
            probe = probes.apply(nextConfig);
        }
        config = nextConfig;
        backends = List.copyOf(nextBackends);
        if (!started) {
            report.set(HealthReport.initial(backends, Instant.now()));
            return;
        }
        Map<String, HealthChecker> old = checkers;
        Map<String, HealthChecker> next = new LinkedHashMap<>();
        for (BackendConfig b : backends) {
            HealthChecker kept = old.get(b.name());
            if (sameChecks && kept != null && kept.backend().equals(b)) {
                next.putIfAbsent(b.name(), kept);
            } else {
                next.putIfAbsent(b.name(), checker(b, carriedOver(b)));
            }
        }
        checkers = Map.copyOf(next);
        activity.retainOnly(backends);
        positions.retainOnly(backends.stream().map(BackendConfig::name).toList());
        replaceReport(old, next);
        old.values().stream().filter(c -> next.get(c.backend().name()) != c).forEach(this::stop);
        next.values().stream().filter(c -> old.get(c.backend().name()) != c).forEach(HealthChecker::start);
    }

    /** What a new checker of {@code b} starts from: the old verdict if it checks the same server. */
    private BackendStatus carriedOver(BackendConfig b) {
        return current().status(b.name())
                .filter(s -> s.backend().host().equals(b.host()) && s.backend().port() == b.port())
                .orElseGet(() -> BackendStatus.assumedUp(b, Instant.now()));
    }

    private HealthChecker checker(BackendConfig b, BackendStatus from) {
        RiseFall verdict = new RiseFall(config.rise(), config.fall(), graceEndsAt, from.state());
        BackendRole seen = from.backend().role() == BackendRole.AUTO ? from.health().role() : null;
        RoleFollower role = new RoleFollower(b.role(), seen);
        return new HealthChecker(b, config.interval(), verdict, role, loops.next(), probe, activity, superusers, from,
                this::publish);
    }

    /** Which backends' configured users are superusers, as the health checks found. */
    public SuperuserLogins superusers() {
        return superusers;
    }

    /** How a backend's connection limits are judged, e.g. {@link ConnectionBudget} against the configuration in force. */
    public void budget(java.util.function.BiFunction<BackendConfig, ServerFacts, java.util.Optional<String>> check) {
        this.budget = check;
    }

    /** Logs a backend's connection budget warning when it first appears or changes. */
    private void checkBudget(BackendStatus s) {
        String warning = budget.apply(s.backend(), s.facts()).orElse("");
        String before = budgetWarned.put(s.name(), warning);
        if (!warning.isEmpty() && !warning.equals(before)) {
            LOG.warn("backend {}: {}", s.name(), warning);
        }
    }

    /** Where relays count the answers their backends give: evidence of life for the checks. */
    public BackendActivity activity() {
        return activity;
    }

    /** Every backend's last known WAL position and replica lag (read routing, docs/read-routing.md). */
    public dev.meridian.proxy.readrouting.WalPositions positions() {
        return positions;
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
        if (checker != null && checker.backend().equals(backend) && current().health(backend.name()).up()) {
            checker.suspect(reason);
        }
    }

    /** Stops the checkers; a probe in flight finishes on its own and is ignored. */
    @Override
    public synchronized void close() {
        checkers.values().forEach(this::stop);
    }

    private void stop(HealthChecker c) {
        try {
            c.stop();
        } catch (RejectedExecutionException e) {
            // Its event loop is already shut down: nothing left to stop.
        }
    }

    /** The report for a new set of checkers: kept ones as they last published, new ones as they start. */
    private void replaceReport(Map<String, HealthChecker> old, Map<String, HealthChecker> next) {
        HealthReport before;
        HealthReport after;
        do {
            before = report.get();
            Map<String, BackendStatus> statuses = new LinkedHashMap<>();
            for (HealthChecker c : next.values()) {
                String name = c.backend().name();
                statuses.put(name, old.get(name) == c ? before.status(name).orElseThrow() : c.status());
            }
            after = HealthReport.ofStatuses(statuses.values());
        } while (!report.compareAndSet(before, after));
    }

    /** A backend that becomes (or stops being) a stale primary, logged once per change. */
    private static void logFencing(HealthReport before, HealthReport after) {
        for (BackendStatus s : after.statuses()) {
            boolean was = before.stalePrimary(s.name());
            boolean is = after.stalePrimary(s.name());
            if (is && !was) {
                LOG.warn("backend {} ({}) is a stale primary: another primary of the same cluster runs on a newer "
                        + "timeline (this one: {}); it takes no sessions until it comes back as a replica",
                        s.name(), s.region(), s.facts().timeline());
            } else if (was && !is) {
                LOG.info("backend {} ({}) is no longer a stale primary", s.name(), s.region());
            }
        }
    }

    private void publish(HealthChecker source, BackendStatus status) {
        HealthReport before;
        HealthReport after;
        do {
            before = report.get();
            if (checkers.get(status.name()) != source) {
                return; // replaced or removed by a reload; its last words do not count
            }
            after = before.with(status);
        } while (!report.compareAndSet(before, after));
        // Each publisher sees its own consecutive pair, so a region's flip is logged exactly once.
        logFencing(before, after);
        checkBudget(status);
        ServerFacts facts = status.facts();
        if (facts != null && facts.walLsn() != null && status.up()) {
            positions.observed(status.name(), status.health().isReplica(), facts.systemIdentifier(), facts.walLsn(),
                    facts.replayedAt(), System.nanoTime());
        }
        String region = status.region();
        if (after.regionDown(region) && !before.regionDown(region)) {
            LOG.warn("all backends of region {} are down", region);
        } else if (before.regionDown(region) && !after.regionDown(region)) {
            LOG.info("region {} has a backend up again", region);
        }
    }
}
