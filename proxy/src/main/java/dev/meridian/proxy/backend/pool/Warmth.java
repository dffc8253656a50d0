package dev.meridian.proxy.backend.pool;

import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import java.util.concurrent.TimeUnit;

/**
 * One pool kept at {@code pool.min_idle}: what to log in with, and how hard to try. Logins are
 * rate-limited ({@link #MAX_LOGINS} at once per pool, over all loops) and back off after
 * failures, doubling from one second up to a minute, so a backend that refuses or hangs is not
 * hammered. Shared by the event loops; each loop's count of logins in flight is its own.
 */
final class Warmth {
    static final int MAX_LOGINS = 2;
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final WarmKey key;
    private final PoolKey plain;
    private final BackendConfig backend;
    private final boolean configured;
    /** Where this pool's share starts, so pools with fewer connections than loops spread out. */
    private final int offset;
    private volatile BackendCredentials credentials;
    /** Logins in flight per loop index (slot i changes on loop i only), and in all. */
    private final int[] opening;
    private int logins;
    private int failures;
    private long notBefore = System.nanoTime();

    Warmth(WarmKey key, BackendConfig backend, BackendCredentials credentials, boolean configured, int loops) {
        this.key = key;
        this.plain = key.plain();
        this.backend = backend;
        this.credentials = credentials;
        this.configured = configured;
        this.offset = Math.floorMod(key.hashCode(), Math.max(1, loops));
        this.opening = new int[loops];
    }

    WarmKey key() {
        return key;
    }

    PoolKey plain() {
        return plain;
    }

    BackendConfig backend() {
        return backend;
    }

    /** From the configuration (a literal database rule), not learned from a client. */
    boolean configured() {
        return configured;
    }

    BackendCredentials credentials() {
        return credentials;
    }

    /** A client of this pool logged in: its credentials are the freshest (passthrough users). */
    void credentials(BackendCredentials latest) {
        this.credentials = latest;
    }

    /**
     * How many of {@code minIdle} connections loop {@code index} of {@code loops} keeps: an even
     * share, the remainder going to the loops from {@link #offset} on.
     */
    int share(int minIdle, int loops, int index) {
        int extra = Math.floorMod(index - offset, loops) < minIdle % loops ? 1 : 0;
        return minIdle / loops + extra;
    }

    synchronized int opening(int index) {
        return opening[index];
    }

    /** A login may start: under the per-pool cap and past any backoff. */
    synchronized boolean startLogin(int index, long now) {
        if (now - notBefore < 0 || logins >= MAX_LOGINS) {
            return false;
        }
        logins++;
        opening[index]++;
        return true;
    }

    /** Returns the failures in a row, this one included. */
    synchronized int loginEnded(int index, boolean ok, long now) {
        logins--;
        opening[index]--;
        if (ok) {
            failures = 0;
            notBefore = now;
        } else {
            failures++;
            long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(failures - 1, 16));
            notBefore = now + backoff;
        }
        return failures;
    }

    /** A login was allowed but no slot was free: neither a success nor a failure. */
    synchronized void loginCancelled(int index) {
        logins--;
        opening[index]--;
    }

    synchronized int failures() {
        return failures;
    }
}
