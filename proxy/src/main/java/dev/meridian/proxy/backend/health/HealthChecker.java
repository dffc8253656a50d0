package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.routing.BackendHealth;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one backend, forever, on one of the proxy's event loops: a probe every
 * {@code interval} (measured from the start of the previous one), never two at once, never a
 * blocking call. Its state is confined to that loop; the rest of the proxy only sees the
 * {@link BackendStatus} it publishes after every probe and every suspicion.
 */
final class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final BackendConfig backend;
    private final long intervalNanos;
    private final EventLoop loop;
    private final HealthProbe probe;
    private final BackendActivity activity;
    private final SuperuserLogins superusers;
    private final BiConsumer<HealthChecker, BackendStatus> publisher;
    private final RiseFall verdict;
    private final RoleFollower role;
    private RttAverage rtt;
    private ServerFacts facts;
    private Instant since;
    private String reason;
    private ScheduledFuture<?> next;
    private boolean probing;
    private boolean probeAgainAtOnce;
    private boolean stopped;

    /**
     * @param initial what is known of the backend so far: the assumed-up status at start, or
     *                what an earlier checker of the same server saw (reload)
     */
    HealthChecker(BackendConfig backend, Duration interval, RiseFall verdict, RoleFollower role, EventLoop loop,
                  HealthProbe probe, BackendActivity activity, SuperuserLogins superusers, BackendStatus initial,
                  BiConsumer<HealthChecker, BackendStatus> publisher) {
        this.superusers = superusers;
        this.backend = backend;
        this.intervalNanos = interval.toNanos();
        this.verdict = verdict;
        this.role = role;
        this.loop = loop;
        this.probe = probe;
        this.activity = activity;
        this.rtt = new RttAverage(initial.health().rtt());
        this.facts = initial.facts();
        this.since = initial.since();
        this.reason = initial.reason();
        this.publisher = publisher;
    }

    BackendConfig backend() {
        return backend;
    }

    void start() {
        loop.execute(this::probeNow);
    }

    /** A session could not connect: out of routing now, and probe at once to confirm or clear it. */
    void suspect(String why) {
        loop.execute(() -> onSuspect(why));
    }

    void stop() {
        loop.execute(() -> {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void probeNow() {
        if (stopped || probing) {
            return;
        }
        probing = true;
        probeAgainAtOnce = false;
        long startedAt = System.nanoTime();
        probe.run(loop, backend, () -> activity.answered(backend))
                .addListener(f -> onResult(startedAt, (ProbeResult) f.getNow()));
    }

    private void onResult(long startedAt, ProbeResult result) {
        probing = false;
        if (stopped) {
            return;
        }
        Optional<Transition> change;
        if (result.inconclusive()) {
            LOG.info("backend {}: health check inconclusive, not counted: {}", backend.name(), result.failure());
            change = Optional.empty();
        } else if (result.passed()) {
            rtt = rtt.add(result.rtt());
            if (result.facts() != null) {
                facts = result.facts();
            }
            role.observe(result.role()).ifPresent(this::logRole);
            superusers.observe(backend, result.superuser());
            change = verdict.success(startedAt);
        } else {
            LOG.debug("backend {}: health check failed: {}", backend.name(), result.failure());
            change = verdict.failure(result.failure(), System.nanoTime());
        }
        if (verdict.state() == CheckState.UP) {
            reason = result.inconclusive() ? result.failure() : null; // e.g. "busy, not down" (53300)
        } else if (result.verdict() == ProbeResult.Verdict.FAILED) {
            reason = result.failure();
        }
        change.ifPresent(this::changed);
        publish();
        long wait = probeAgainAtOnce ? 0 : intervalNanos - (System.nanoTime() - startedAt);
        next = loop.schedule(this::probeNow, Math.max(0, wait), TimeUnit.NANOSECONDS);
    }

    private void onSuspect(String why) {
        if (stopped) {
            return;
        }
        Optional<Transition> change = verdict.suspect(why, System.nanoTime());
        if (change.isEmpty()) {
            return;
        }
        reason = why;
        changed(change.get());
        publish();
        if (probing) {
            probeAgainAtOnce = true; // the probe in flight began before the session failed
        } else {
            if (next != null) {
                next.cancel(false);
            }
            probeNow();
        }
    }

    private void changed(Transition t) {
        since = Instant.now();
        String name = backend.name() + " (" + backend.region() + ")";
        switch (t.to()) {
            case UP -> LOG.info("backend {} is up: {}; role {}, health check rtt {}", name, t.reason(),
                    label(role.effective()), rtt.value() == null ? "unknown" : millis(rtt.value()));
            case SUSPECT -> LOG.info("backend {} is suspect, out of routing until a check passes: {}", name, t.reason());
            case DOWN -> {
                LOG.info("backend {} is down: {}", name, t.reason());
                rtt = RttAverage.EMPTY; // measured on a server that is gone: the next one starts afresh
            }
        }
    }

    private void logRole(RoleFollower.RoleEvent e) {
        String name = backend.name() + " (" + backend.region() + ")";
        if (e.contradictsConfig()) {
            LOG.warn("backend {} is configured as {} but pg_is_in_recovery() says {}; routing keeps the configured role",
                    name, label(e.from()), label(e.to()));
        } else if (e.from() == BackendRole.AUTO) {
            LOG.info("backend {} is a {}", name, label(e.to()));
        } else {
            LOG.info("backend {} changed role: {} -> {}", name, label(e.from()), label(e.to()));
        }
    }

    /** The status as of now; before {@link #start()} any thread may ask, afterwards only the loop. */
    BackendStatus status() {
        // A down backend has no round trip: SHOW BACKENDS, /routes and the gauge show none, not the last one.
        Duration shownRtt = verdict.state() == CheckState.DOWN ? null : rtt.value();
        BackendHealth health = new BackendHealth(verdict.state() == CheckState.UP, role.effective(), shownRtt);
        return new BackendStatus(backend, verdict.state(), health, since, reason, facts);
    }

    private void publish() {
        publisher.accept(this, status());
    }

    private static String label(BackendRole r) {
        return r == BackendRole.AUTO ? "unknown" : r.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
