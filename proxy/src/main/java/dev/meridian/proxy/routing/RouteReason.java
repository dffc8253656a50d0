package dev.meridian.proxy.routing;

import java.util.Locale;

/** Why the chosen backend was chosen: the {@code reason} label of {@code meridian_route_decisions_total}. */
public enum RouteReason {
    /** The database rule decided: its only allowed region, or {@code prefer: <region>}. */
    DATABASE,
    /** Nearest to the client's location. */
    GEO,
    /** {@code prefer: local} put this instance's region first. */
    LOCAL,
    /** The client asked for a region with {@code meridian.region}. */
    PINNED,
    /** A better-ranked backend was down or unreachable. */
    FAILOVER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
