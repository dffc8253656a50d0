package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;

/**
 * Benchmark-only door into the pool's package (same package name, another jar): a lease over a
 * channel the benchmark made itself, as if the pool had logged it in. The proxy's own code is
 * not widened for benchmarks.
 */
public final class PoolAccess {
    private PoolAccess() {
    }

    public static PooledConnection lease(Channel backendChannel, BackendConfig backend, String database) {
        BackendConnection logged = new BackendConnection(backendChannel, backend, List.of(), null, List.of(),
                ReadyForQuery.IDLE);
        return new PooledConnection(logged, new PoolKey(backend.name(), Map.of("user", "bench", "database", database)));
    }
}
