package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.routing.BackendHealth;
import dev.meridian.proxy.routing.HealthSnapshot;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The health of every backend at one instant: an immutable {@link HealthSnapshot} for the
 * router, with the detail behind it for {@code /ready}, {@code /routes} and metrics. A checker
 * publishes a new report whenever it learns something; nobody ever changes one.
 */
public final class HealthReport implements HealthSnapshot {
    private final Map<String, BackendStatus> byName;

    private HealthReport(Map<String, BackendStatus> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Before any check has run: every backend up with its configured role. */
    public static HealthReport initial(List<BackendConfig> backends, Instant now) {
        Map<String, BackendStatus> map = new LinkedHashMap<>();
        backends.forEach(b -> map.putIfAbsent(b.name(), BackendStatus.assumedUp(b, now)));
        return new HealthReport(map);
    }

    /** A report of exactly these statuses, in this order. */
    static HealthReport ofStatuses(Collection<BackendStatus> statuses) {
        Map<String, BackendStatus> map = new LinkedHashMap<>();
        statuses.forEach(s -> map.putIfAbsent(s.name(), s));
        return new HealthReport(map);
    }

    /** A report with one backend's status replaced (or added). */
    HealthReport with(BackendStatus status) {
        Map<String, BackendStatus> map = new LinkedHashMap<>(byName);
        map.put(status.name(), status);
        return new HealthReport(map);
    }

    /**
     * A stale primary (see {@link #stalePrimary}) is not up for routing: it takes no session,
     * read-write or read-only, until it comes back as a replica.
     */
    @Override
    public BackendHealth health(String backendName) {
        BackendStatus s = byName.get(backendName);
        if (s == null) {
            return UNKNOWN;
        }
        return stalePrimary(backendName) ? new BackendHealth(false, s.health().role(), s.health().rtt()) : s.health();
    }

    /**
     * Fencing after a failover: a backend that says it is a primary while another primary of the
     * same cluster (same system identifier) was last seen on a newer timeline is an old primary
     * that came back (split brain): it must take no writes, even while the newer one is down
     * (safety over availability, as a failover manager would fence it).
     */
    public boolean stalePrimary(String backendName) {
        BackendStatus s = byName.get(backendName);
        if (s == null || s.facts() == null || s.health().role() != BackendRole.PRIMARY) {
            return false;
        }
        return byName.values().stream().anyMatch(o -> o != s
                && o.health().role() == BackendRole.PRIMARY && s.facts().olderTimelineThan(o.facts()));
    }

    public Optional<BackendStatus> status(String backendName) {
        return Optional.ofNullable(byName.get(backendName));
    }

    /** Every backend, in configuration order. */
    public List<BackendStatus> statuses() {
        return List.copyOf(byName.values());
    }

    /** Whether any backend can take a new session: the heart of {@code /ready}. */
    public boolean anyUp() {
        return byName.values().stream().anyMatch(BackendStatus::up);
    }

    /** Whether {@code region} has backends and none of them is up. */
    public boolean regionDown(String region) {
        List<BackendStatus> inRegion = byName.values().stream().filter(s -> s.region().equals(region)).toList();
        return !inRegion.isEmpty() && inRegion.stream().noneMatch(BackendStatus::up);
    }

    @Override
    public String toString() {
        return "HealthReport" + byName.values().stream()
                .map(s -> s.name() + "=" + s.state().label()).toList();
    }
}
