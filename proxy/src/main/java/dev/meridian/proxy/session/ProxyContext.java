package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.server.Transport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every session shares: the configuration in force (replaced whole on reload; a session
 * keeps the snapshot it started with), the backend connector and the cancel key registry.
 */
public final class ProxyContext {
    private final AtomicLong sessionIds = new AtomicLong();
    private final Transport transport;
    private final BackendConnector connector;
    private final CancelRegistry cancels = new CancelRegistry();
    private volatile MeridianConfig config;

    public ProxyContext(MeridianConfig config, Transport transport, BackendConnector connector) {
        this.config = config;
        this.transport = transport;
        this.connector = connector;
    }

    public MeridianConfig config() {
        return config;
    }

    public void config(MeridianConfig newConfig) {
        this.config = newConfig;
    }

    public Transport transport() {
        return transport;
    }

    public BackendConnector connector() {
        return connector;
    }

    public CancelRegistry cancels() {
        return cancels;
    }

    public long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
