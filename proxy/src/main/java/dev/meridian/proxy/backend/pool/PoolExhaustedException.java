package dev.meridian.proxy.backend.pool;

import dev.meridian.proxy.config.BackendConfig;
import java.time.Duration;

/** No connection to a backend came free within the wait: the client is told 53300. */
public final class PoolExhaustedException extends Exception {
    private static final long serialVersionUID = 1L;

    PoolExhaustedException(BackendConfig backend, int max, Duration wait) {
        super("no connection to backend " + backend.name() + " came free within " + wait.toMillis()
                + " ms (pool.max_per_backend: " + max + ")");
    }

    /** A transaction-pooled client waited limits.query_wait_timeout for a connection of its pool. */
    PoolExhaustedException(String pool, int max, Duration wait) {
        super("no connection of pool " + pool + " came free within " + dev.meridian.proxy.config.Units.formatDuration(wait)
                + " (limits.query_wait_timeout; pool.max_per_backend: " + max + ")");
    }
}
