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
    /**
     * Only a connection logged in with exactly these startup parameters (or a new login): a
     * transaction pool's, or adopting a plain warm connection failed once.
     */
    private boolean exactOnly;
    /** Other loops were asked for an idle connection of its key once ({@link IdleConnections#takeElsewhere}). */
    private boolean lookedElsewhere;
    /** Logins retried after the backend answered 53300 ({@link Crowding}). */
    private int crowdedRetries;

    Waiter(EventLoop loop, BackendConfig backend, StartupMessage startup, BackendCredentials credentials, PoolKey key,
           Promise<PooledConnection> promise) {
        this.loop = loop;
        this.backend = backend;
        this.startup = startup;
        this.credentials = credentials;
        this.key = key;
        this.promise = promise;
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

    boolean exactOnly() {
        return exactOnly;
    }

    void exactOnly(boolean exact) {
        exactOnly = exact;
    }

    /** True the first time: other loops are asked at most once per session. */
    boolean lookElsewhere() {
        boolean first = !lookedElsewhere;
        lookedElsewhere = true;
        return first;
    }

    int crowdedRetries() {
        return crowdedRetries;
    }

    void crowdedRetry() {
        crowdedRetries++;
    }
}
