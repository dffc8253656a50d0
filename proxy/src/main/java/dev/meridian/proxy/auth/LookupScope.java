package dev.meridian.proxy.auth;

import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.EventLoop;
import java.util.List;

/**
 * Where a lookup may run: the session's event loop, and the backends (in route order) and
 * database an auth query may use, so it never reaches outside the session's residency boundary.
 */
public record LookupScope(EventLoop loop, List<BackendConfig> backends, String database) {
    public LookupScope {
        backends = List.copyOf(backends);
    }
}
