package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
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

    @Override
    public BackendHealth health(String backendName) {
        BackendStatus s = byName.get(backendName);
        return s == null ? UNKNOWN : s.health();
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
