package dev.meridian.proxy.backend.pool;

/**
 * The most connections of one backend lent at once "recently": the larger of the peak of the
 * current window and that of the window before, so a burst is remembered for one to two windows
 * and then forgotten. Pure, not thread-safe (its owner, {@link Slots}, locks around it).
 */
final class PeakDemand {
    /** A minute: long enough to span a pgbench run's reconnects, short next to idle_timeout. */
    static final long WINDOW_NANOS = 60_000_000_000L;

    private final long windowNanos;
    private long windowStart;
    private boolean started;
    private int current;
    private int previous;

    PeakDemand(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** {@code active} connections are lent at {@code now}. */
    void observe(int active, long now) {
        roll(now);
        current = Math.max(current, active);
    }

    /** The recent peak as of {@code now}. */
    int peak(long now) {
        roll(now);
        return Math.max(current, previous);
    }

    private void roll(long now) {
        if (!started) {
            started = true;
            windowStart = now;
            return;
        }
        long elapsed = now - windowStart;
        if (elapsed < windowNanos) {
            return;
        }
        previous = elapsed < 2 * windowNanos ? current : 0;
        current = 0;
        windowStart = now;
    }
}
