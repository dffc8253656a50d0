package dev.meridian.proxy.ops;

/**
 * One pool of SHOW POOLS: the sessions and server connections of one (backend database, backend
 * login, backend), as PgBouncer has one pool per (database, user).
 *
 * @param maxWaitNanos how long the oldest waiting client of this pool has waited (0: none waits)
 */
public record PoolRow(String database, String user, String backend, String backendRegion, int clActive,
                      int clWaiting, int svActive, int svIdle, long maxWaitNanos) {
}
