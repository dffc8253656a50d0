package dev.meridian.proxy.localpg;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds; for anything that happens asynchronously in a server. */
public final class Await {

    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is true. A condition that throws counts as "not yet"
     * (a server that is still starting refuses connections); the last such exception becomes the
     * cause of the timeout failure, whose message is {@code description}.
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastFailure = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms: "
                        + description.get(), lastFailure);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
