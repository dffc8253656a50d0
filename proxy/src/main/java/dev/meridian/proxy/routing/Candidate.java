package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.BackendConfig;
import java.util.Objects;

/**
 * One backend as the router saw it for one session: one row of {@code meridian route}.
 *
 * @param distanceKm great-circle distance from the client's location to the backend's region
 * @param health     the snapshot's view (up, role, RTT)
 * @param excluded   why the backend may not take this session, or null when it is a candidate
 */
public record Candidate(BackendConfig backend, double distanceKm, BackendHealth health, String excluded) {

    public Candidate {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(health, "health");
    }

    public boolean eligible() {
        return excluded == null;
    }

    public String region() {
        return backend.region();
    }
}
