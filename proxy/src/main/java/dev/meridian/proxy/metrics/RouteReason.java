package dev.meridian.proxy.metrics;

/** Why a session went to its backend: the {@code reason} of {@code meridian_route_decisions_total}. */
public enum RouteReason {
    /** The database's rule allows one place, or distance did not matter. */
    DATABASE("database"),
    /** The nearest allowed region to the client's located position. */
    GEO("geo"),
    /** {@code prefer: local}: this instance's own region. */
    LOCAL("local"),
    /** The client pinned a region with {@code -c meridian.region=...}. */
    PINNED("pinned"),
    /** A better-ranked candidate was down or unreachable. */
    FAILOVER("failover");

    private final String label;

    RouteReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
