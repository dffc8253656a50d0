package dev.meridian.proxy.metrics;

import dev.meridian.proxy.config.BackendConfig;

/**
 * What {@code meridian_pool_connections{state}} reports per backend. Read at scrape time.
 * Until Meridian pools backend connections, every backend connection belongs to one client
 * session: idle is 0 and active is the number of relayed sessions on that backend (the
 * default, {@link MeridianMetrics#sessionsPerBackend()}). The pool replaces it with its own.
 */
public interface PoolStats {
    int idle(BackendConfig backend);

    int active(BackendConfig backend);
}
