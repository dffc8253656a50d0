package dev.meridian.proxy.readrouting;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Meridian knows of every backend's WAL position: from health checks (a primary's current
 * position, a replica's replayed one) and, fresher, from the replay probes of causal reads. A
 * replica's lag is computed against the primaries of its own cluster (same system identifier;
 * all primaries when the identifier is not readable). Thread-safe: health checkers write from
 * their loops, sessions read from theirs.
 */
public final class WalPositions {
    /** A backend's last known position; {@code lag} in seconds, NaN when unknown (primaries: 0). */
    public record Position(boolean replica, long lsn, double lag) {
    }

    private static final Position UNKNOWN = new Position(false, -1, Double.NaN);

    private final Map<String, Position> byBackend = new ConcurrentHashMap<>();
    private final Map<String, ReplicaLag> byCluster = new ConcurrentHashMap<>();

    /**
     * A health check's reading of {@code backend}. {@code cluster} is its system identifier or
     * null; {@code replayedAt} a replica's last replayed commit (epoch seconds) or null.
     */
    public void observed(String backend, boolean replica, String cluster, long lsn, Double replayedAt, long nanos) {
        ReplicaLag lag = byCluster.computeIfAbsent(cluster == null ? "" : cluster, k -> new ReplicaLag());
        synchronized (lag) {
            if (!replica) {
                lag.primaryAt(nanos, lsn);
                byBackend.put(backend, new Position(false, lsn, 0));
                return;
            }
            double clock = replayedAt == null ? Double.NaN : Math.max(0, System.currentTimeMillis() / 1000.0 - replayedAt);
            byBackend.merge(backend, new Position(true, lsn, lag.seconds(lsn, nanos, clock)),
                    (old, now) -> old.replica() && old.lsn() > now.lsn() ? new Position(true, old.lsn(), now.lag()) : now);
        }
    }

    /** A causal probe saw {@code backend} (a replica) at {@code lsn}: the known replay position only moves forward. */
    public void replayed(String backend, long lsn) {
        byBackend.computeIfPresent(backend, (k, old) -> old.lsn() >= lsn ? old : new Position(true, lsn, old.lag()));
    }

    /** The last known position of {@code backend}; lsn -1 and lag NaN when nothing is known. */
    public Position of(String backend) {
        return byBackend.getOrDefault(backend, UNKNOWN);
    }

    /** Forgets backends no longer configured. */
    public void retainOnly(java.util.Collection<String> backends) {
        byBackend.keySet().retainAll(backends);
    }
}
