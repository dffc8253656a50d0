package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The health of every backend at one instant: immutable, replaced whole by the health checker,
 * read by the router without locks.
 */
@FunctionalInterface
public interface HealthSnapshot {
    /** A backend the snapshot does not know: down. */
    BackendHealth UNKNOWN = new BackendHealth(false, BackendRole.AUTO, null);

    /** The health of the named backend; never null. */
    BackendHealth health(String backendName);

    /** Before any health check has run: everything up, roles as configured. */
    static HealthSnapshot assumeUp(List<BackendConfig> backends) {
        Map<String, BackendHealth> byName = backends.stream().collect(Collectors.toUnmodifiableMap(
                BackendConfig::name, b -> new BackendHealth(true, b.role(), null), (a, b) -> a));
        return name -> byName.getOrDefault(name, UNKNOWN);
    }

    /** A snapshot from a map; backends missing from it are down. */
    static HealthSnapshot of(Map<String, BackendHealth> health) {
        Map<String, BackendHealth> copy = Map.copyOf(health);
        return name -> copy.getOrDefault(name, UNKNOWN);
    }
}
