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
}
