package dev.meridian.proxy.ops;

/**
 * One pool of SHOW POOLS: the sessions and server connections of one (backend database, backend
 * login, backend), as PgBouncer has one pool per (database, user).
 *
 * @param maxWaitNanos how long the oldest waiting client of this pool has waited (0: none waits)
 * @param mode         {@code session} or {@code transaction}: a (database, user, backend) can have both
 */
public record PoolRow(String database, String user, String backend, String backendRegion, int clActive,
                      int clWaiting, int svActive, int svIdle, long maxWaitNanos, String mode) {
    /** A session-mode pool. */
    public PoolRow(String database, String user, String backend, String backendRegion, int clActive,
                   int clWaiting, int svActive, int svIdle, long maxWaitNanos) {
        this(database, user, backend, backendRegion, clActive, clWaiting, svActive, svIdle, maxWaitNanos, "session");
    }
}
