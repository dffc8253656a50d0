package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code auth.failure_backoff}: after {@code after} failed logins from one client address, each
 * further failure is answered only after a delay that starts at {@code initial} and doubles per
 * failure up to {@code max}. An address that has not failed for {@code window} is forgotten, and
 * a successful login forgets it at once. {@code after = 0} turns the backoff off.
 */
public record FailureBackoff(int after, Duration initial, Duration max, Duration window) {

    public static final FailureBackoff DEFAULT = new FailureBackoff(
            5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(5));

    /**
     * The longest {@code max} accepted: a delayed answer keeps its connection open (and counted
     * against {@code limits.max_client_connections}) for that long.
     */
    public static final Duration LONGEST_DELAY = Duration.ofMinutes(1);

    public FailureBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(window, "window");
    }

    public boolean enabled() {
        return after > 0;
    }

    /**
     * How long the answer to an address's {@code failures}-th failure (counting it) waits: zero
     * up to {@code after}, then {@code initial}, twice that, four times ..., never over {@code max}.
     */
    public Duration delayFor(long failures) {
        if (!enabled() || failures <= after) {
            return Duration.ZERO;
        }
        long doublings = failures - after - 1;
        long maxMillis = max.toMillis();
        long millis = initial.toMillis();
        for (long i = 0; i < doublings && millis < maxMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }
}
