package dev.meridian.proxy.readrouting;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * How far a replica is behind its primary, in seconds, from WAL positions (docs/read-routing.md):
 * the primary's current position is sampled at each of its health checks; a replica that has
 * replayed position R is missing what the primary wrote after the newest sample at or below R.
 * A replica that has replayed the primary's latest position is 0 behind however old its last
 * replayed commit is (an idle primary writes nothing to replay), as long as that position is
 * fresh: when the primary's checks stop, its latest position grows old and says nothing of
 * what it wrote since. Between samples the exact moment
 * is unknown: the answer lies between two sample times, and the replica's own last-replayed-commit
 * clock picks a point in that interval when it is known. Not thread-safe: the owner locks.
 */
public final class ReplicaLag {
    private static final int SAMPLES = 64;
    /** Before the primary's second check its interval is unknown: its one position counts as fresh this long. */
    private static final long FIRST_CHECK_FRESH_NANOS = 10_000_000_000L;

    private record Sample(long nanos, long lsn) {
    }

    private final ArrayDeque<Sample> primary = new ArrayDeque<>();
    /** When the primary was last checked, and the time between its last two checks (0: one so far). */
    private long checked;
    private long gap;

    /** The primary was at {@code lsn} at {@code nanos} (System.nanoTime). */
    public void primaryAt(long nanos, long lsn) {
        gap = primary.isEmpty() ? 0 : nanos - checked;
        checked = nanos;
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
            // Caught up with the primary as last seen. Seen lately (within two of its check
            // intervals), that is 0; seen long ago (its checks are failing or late), what it wrote
            // since is unknown: the replica's own replay clock, bounded by that time, says more.
            long unseen = nanos - checked;
            if (unseen <= (gap > 0 ? 2 * gap : FIRST_CHECK_FRESH_NANOS)) {
                return 0;
            }
            double bound = unseen / 1e9;
            return Double.isNaN(clockLag) ? bound : Math.min(bound, clockLag);
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
