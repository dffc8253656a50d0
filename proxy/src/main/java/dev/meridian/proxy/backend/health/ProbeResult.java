package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendRole;
import java.time.Duration;

/**
 * What one health probe found.
 *
 * @param passed  whether the backend can take sessions
 * @param role    PRIMARY or REPLICA from {@code pg_is_in_recovery()}, or null when not asked
 * @param rtt     the measured round trip, or null
 * @param failure why the probe failed; null when it passed
 */
public record ProbeResult(boolean passed, BackendRole role, Duration rtt, String failure) {
    public static ProbeResult passed(BackendRole role, Duration rtt) {
        return new ProbeResult(true, role, rtt, null);
    }

    public static ProbeResult failed(String failure) {
        return new ProbeResult(false, null, null, failure);
    }
}
