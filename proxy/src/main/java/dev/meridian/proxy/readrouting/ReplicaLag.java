package dev.meridian.proxy.readrouting;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * How far a replica is behind its primary, in seconds, from WAL positions (docs/read-routing.md):
 * the primary's current position is sampled at each of its health checks; a replica that has
 * replayed position R is missing what the primary wrote after the newest sample at or below R.
 * A replica that has replayed the primary's latest position is 0 behind however old its last
 * replayed commit is (an idle primary writes nothing to replay). Between samples the exact moment
 * is unknown: the answer lies between two sample times, and the replica's own last-replayed-commit
 * clock picks a point in that interval when it is known. Not thread-safe: the owner locks.
 */
public final class ReplicaLag {
    private static final int SAMPLES = 64;

    private record Sample(long nanos, long lsn) {
    }

    private final ArrayDeque<Sample> primary = new ArrayDeque<>();

    /** The primary was at {@code lsn} at {@code nanos} (System.nanoTime). */
    public void primaryAt(long nanos, long lsn) {
        Sample last = primary.peekLast();
        if (last != null && last.lsn() == lsn) {
            return; // idle primary: the oldest sample at this position says when it got there
        }
        primary.addLast(new Sample(nanos, lsn));
        while (primary.size() > SAMPLES) {
            primary.removeFirst();
        }
    }

    /** The primary's latest known position, or -1. */
    public long primaryLsn() {
        Sample last = primary.peekLast();
        return last == null ? -1 : last.lsn();
    }

    /**
     * The lag of a replica that had replayed {@code replayLsn} at {@code nanos}; {@code clockLag}
     * is {@code now() - pg_last_xact_replay_timestamp()} in seconds, or NaN when unknown. NaN when
     * no primary position is known (nothing to compare with).
     */
    public double seconds(long replayLsn, long nanos, double clockLag) {
        Sample last = primary.peekLast();
        if (last == null) {
            return Double.NaN;
        }
        if (replayLsn >= last.lsn()) {
            return 0;
        }
        Sample atOrBelow = null;
        Sample firstAbove = null;
        for (Iterator<Sample> it = primary.descendingIterator(); it.hasNext(); ) {
            Sample s = it.next();
            if (s.lsn() <= replayLsn) {
                atOrBelow = s;
                break;
            }
            firstAbove = s;
        }
        double lower = Math.max(0, (nanos - firstAbove.nanos()) / 1e9);
        // Behind every sample kept: no upper bound.
        double upper = atOrBelow == null ? Double.POSITIVE_INFINITY
                : Math.max(lower, (nanos - atOrBelow.nanos()) / 1e9);
        if (Double.isNaN(clockLag)) {
            return upper;
        }
        return Math.min(upper, Math.max(lower, clockLag));
    }
}
