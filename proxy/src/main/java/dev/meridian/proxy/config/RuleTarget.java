package dev.meridian.proxy.config;

/**
 * Where a database rule's sessions go unless the client says otherwise ({@code target:};
 * {@code -c meridian.target=} per session). YAML {@code read-write | read-only | auto}.
 * See docs/read-routing.md for {@code auto}.
 */
public enum RuleTarget {
    /** Primaries only (the default). */
    READ_WRITE,
    /** Replicas first, then primaries. */
    READ_ONLY,
    /** In transaction mode each transaction is routed on its own: reads to a replica, the rest to the primary. */
    AUTO
}
