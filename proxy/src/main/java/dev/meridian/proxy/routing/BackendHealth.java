package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.BackendRole;
import java.time.Duration;

/**
 * What the router knows of one backend at one instant.
 *
 * @param up   whether it may take new sessions
 * @param role PRIMARY or REPLICA as last observed; AUTO while not yet probed (the router then
 *             treats it as eligible for both read-write and read-only sessions)
 * @param rtt  smoothed health-check round trip, or null when not measured yet
 */
public record BackendHealth(boolean up, BackendRole role, Duration rtt) {
    public boolean servesReadWrite() {
        return role != BackendRole.REPLICA;
    }

    public boolean isReplica() {
        return role == BackendRole.REPLICA;
    }
}
