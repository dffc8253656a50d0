package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;

/** A session waiting for a connection to one backend. */
record Waiter(EventLoop loop, BackendConfig backend, StartupMessage startup, BackendCredentials credentials,
              PoolKey key, Promise<PooledConnection> promise) {
}
