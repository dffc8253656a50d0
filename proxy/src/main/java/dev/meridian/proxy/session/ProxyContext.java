package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.health.HealthMonitor;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.HealthSnapshot;
import dev.meridian.proxy.server.Transport;
import dev.meridian.proxy.auth.UserDirectory;
import dev.meridian.proxy.tls.ClientTls;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session shares: the configuration in force (replaced whole on reload; a session
 * keeps the snapshot it started with), the backend connector and the cancel key registry.
 */
public final class ProxyContext {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyContext.class);
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicInteger openClients = new AtomicInteger();
    private final Transport transport;
    private final BackendConnector connector;
    private final CancelRegistry cancels = new CancelRegistry();
    private final byte[] mockSecret = new byte[32];
    private volatile MeridianConfig config;
    private volatile UserDirectory users;
    private volatile ClientTls clientTls;
    private final HealthMonitor health;
    private volatile boolean draining;

    public ProxyContext(MeridianConfig config, Transport transport, BackendConnector connector,
                        UserDirectory users, ClientTls clientTls, HealthMonitor health) {
        this.config = config;
        this.transport = transport;
        this.connector = connector;
        this.users = users;
        this.clientTls = clientTls;
        this.health = health;
        new SecureRandom().nextBytes(mockSecret);
    }

    /** Where client credentials are looked up. */
    public UserDirectory users() {
        return users;
    }

    /** TLS towards clients, or null when none is configured. */
    public ClientTls clientTls() {
        return clientTls;
    }

    /**
     * A per-process secret for mock SCRAM salts: an unknown user gets a stable fake salt, so
     * repeated probes cannot tell it from a real one.
     */
    byte[] mockSecret() {
        return mockSecret;
    }

    /** A client failed authentication ({@code reason} is a fixed word, never a name or address). */
    public void authFailed(String reason) {
        LOG.info("client authentication failed: {}", reason);
    }

    public MeridianConfig config() {
        return config;
    }

    /** Hot reload: new sessions see the new configuration; sessions in flight keep theirs. */
    public void replace(MeridianConfig newConfig, UserDirectory newUsers, ClientTls newTls) {
        this.users = newUsers;
        this.clientTls = newTls;
        this.config = newConfig;
    }

    public Transport transport() {
        return transport;
    }

    public BackendConnector connector() {
        return connector;
    }

    /** The latest backend health, for routing: immutable, read without locks. */
    public HealthSnapshot health() {
        return health.current();
    }

    /** The health checks themselves: {@code suspect(...)} on connect failures, detail for admin and metrics. */
    public HealthMonitor healthMonitor() {
        return health;
    }

    /** Whether the proxy is draining: {@code /ready} then answers 503 so no new traffic arrives. */
    public boolean draining() {
        return draining;
    }

    public void draining(boolean value) {
        this.draining = value;
    }

    public CancelRegistry cancels() {
        return cancels;
    }

    void clientOpened() {
        openClients.incrementAndGet();
    }

    void clientClosed() {
        openClients.decrementAndGet();
    }

    /** Client connections open right now, in any phase. */
    public int openClients() {
        return openClients.get();
    }

    public long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
