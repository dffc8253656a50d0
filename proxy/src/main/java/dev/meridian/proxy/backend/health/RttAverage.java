package dev.meridian.proxy.backend.health;

import java.time.Duration;

/**
 * An exponentially weighted moving average of round-trip times: each sample moves the average
 * a quarter of the way towards itself, so one slow probe (a GC pause, a busy event loop) nudges
 * the routing tie-break instead of flipping it, while a real change shows within a few checks.
 * Immutable; {@link #EMPTY} has no value until the first sample.
 */
public record RttAverage(Duration value) {
    static final double WEIGHT = 0.25;
    public static final RttAverage EMPTY = new RttAverage(null);

    /** The average after one more sample; the first sample is taken as is. */
    public RttAverage add(Duration sample) {
        if (sample == null) {
            return this;
        }
        if (sample.isNegative()) {
            throw new IllegalArgumentException("negative round trip " + sample);
        }
        if (value == null) {
            return new RttAverage(sample);
        }
        long current = value.toNanos();
        long next = current + Math.round(WEIGHT * (sample.toNanos() - current));
        return new RttAverage(Duration.ofNanos(next));
    }
}
