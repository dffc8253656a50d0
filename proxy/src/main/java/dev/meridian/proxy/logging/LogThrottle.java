package dev.meridian.proxy.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets one log line per cause through per window (a minute in production) and counts the rest,
 * so that 22,000 connections failing the same way write one line a minute, not 22,000 stack
 * traces. The next line let through for a cause says how many were held back. Pure logic: the
 * caller decides what to log; {@link Verdict#firstEver()} tells it when a stack trace is worth it.
 */
public final class LogThrottle {
    /** Causes tracked at most; any beyond share one window (no unbounded map under a flood). */
    static final int MAX_CAUSES = 256;
    private static final String OTHER = "(other causes)";

    /** Whether to log now, how many were suppressed since the last line, and whether it is the first ever. */
    public record Verdict(boolean log, long suppressed, boolean firstEver) {
        private static final Verdict SKIP = new Verdict(false, 0, false);

        /** " (N more like this were not logged)" when some were held back, else "". */
        public String suffix() {
            return suppressed == 0 ? "" : " (" + suppressed + " more like this were not logged)";
        }
    }

    private static final class Window {
        private boolean logged;
        private long start;
        private long held;
    }

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LogThrottle(long windowNanos, LongSupplier nanoClock) {
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
    }

    /** One line per cause per minute. */
    public static LogThrottle perMinute() {
        return new LogThrottle(60_000_000_000L, System::nanoTime);
    }

    public Verdict admit(String cause) {
        String key = windows.size() >= MAX_CAUSES && !windows.containsKey(cause) ? OTHER : cause;
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = nanoClock.getAsLong();
        synchronized (w) {
            if (w.logged && now - w.start < windowNanos) {
                w.held++;
                return Verdict.SKIP;
            }
            Verdict v = new Verdict(true, w.held, !w.logged);
            w.logged = true;
            w.start = now;
            w.held = 0;
            return v;
        }
    }

    /** A cause's identity: its class and where it was thrown (not its message, which may vary per connection). */
    public static String causeOf(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return t.getClass().getName() + (trace.length == 0 ? "" : "@" + trace[0]);
    }
}
