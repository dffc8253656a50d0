package dev.meridian.proxy.metrics;

import java.util.function.ToIntFunction;

/**
 * Where {@code meridian_pool_connections{state}} comes from: the pool's idle and lent-out
 * connection counts for a backend name, read at scrape time.
 */
public record PoolStats(ToIntFunction<String> idle, ToIntFunction<String> active) {
    /** Before a pool is attached: nothing idle, nothing lent. */
    public static final PoolStats NONE = new PoolStats(backend -> 0, backend -> 0);
}
