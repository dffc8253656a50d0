package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;

/**
 * A session waiting for a connection to one backend. Identity matters (a waiter that timed out
 * is removed from its queue by identity), so this is a class, not a record.
 */
final class Waiter {
    private final EventLoop loop;
    private final BackendConfig backend;
    private final StartupMessage startup;
    private final BackendCredentials credentials;
    private final PoolKey key;
    private final Promise<PooledConnection> promise;
    /** False once adopting a plain warm connection failed: then only exact keys or a new login. */
    private boolean mayAdopt;

    Waiter(EventLoop loop, BackendConfig backend, StartupMessage startup, BackendCredentials credentials, PoolKey key,
           Promise<PooledConnection> promise) {
        this.loop = loop;
        this.backend = backend;
        this.startup = startup;
        this.credentials = credentials;
        this.key = key;
        this.promise = promise;
        this.mayAdopt = Adoption.possible(key);
    }

    EventLoop loop() {
        return loop;
    }

    BackendConfig backend() {
        return backend;
    }

    StartupMessage startup() {
        return startup;
    }

    BackendCredentials credentials() {
        return credentials;
    }

    PoolKey key() {
        return key;
    }

    Promise<PooledConnection> promise() {
        return promise;
    }

    boolean mayAdopt() {
        return mayAdopt;
    }

    void adoptionFailed() {
        mayAdopt = false;
    }
}
