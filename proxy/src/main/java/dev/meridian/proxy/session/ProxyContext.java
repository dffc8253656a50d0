package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.HealthSnapshot;
import dev.meridian.proxy.routing.Router;
import dev.meridian.proxy.server.Transport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every session shares: the configuration in force and its router (replaced whole on
 * reload; a session keeps the snapshot it started with), the latest backend health, the backend
 * connector and the cancel key registry.
 */
public final class ProxyContext {
    private final AtomicLong sessionIds = new AtomicLong();
    private final Transport transport;
    private final BackendConnector connector;
    private final CancelRegistry cancels = new CancelRegistry();
    private volatile MeridianConfig config;
    private volatile Router router;
    private volatile HealthSnapshot assumedHealth;
    private volatile HealthSnapshot publishedHealth;

    /** Opens the configuration's geo database: a ConfigException if it cannot. */
    public ProxyContext(MeridianConfig config, Transport transport, BackendConnector connector) {
        config(config);
        this.transport = transport;
        this.connector = connector;
    }

    public MeridianConfig config() {
        return config;
    }

    /** Installs a new configuration; its router is built first, so a bad geo database changes nothing. */
    public void config(MeridianConfig newConfig) {
        Router newRouter = Router.open(newConfig);
        this.assumedHealth = HealthSnapshot.assumeUp(newConfig.backends());
        this.router = newRouter;
        this.config = newConfig;
    }

    /** The router of the configuration in force; {@code router().config()} is that configuration. */
    public Router router() {
        return router;
    }

    /**
     * The health checker's latest snapshot; until it publishes one, every backend is up with its
     * configured role.
     */
    public HealthSnapshot health() {
        HealthSnapshot published = publishedHealth;
        return published != null ? published : assumedHealth;
    }

    /** Called by the health checker after every round. */
    public void publishHealth(HealthSnapshot snapshot) {
        this.publishedHealth = snapshot;
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
