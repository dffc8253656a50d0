package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.pool.BackendPool;
import dev.meridian.proxy.routing.HealthSnapshot;
import dev.meridian.proxy.server.ReloadOutcome;
import java.util.List;
import java.util.function.Supplier;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.metrics.MeridianMetrics;
import dev.meridian.proxy.metrics.PoolStats;
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
 * keeps the snapshot it started with), the backend connector, the cancel key registry and the
 * metrics.
 */
public final class ProxyContext {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyContext.class);
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicInteger openClients = new AtomicInteger();
    private final Transport transport;
    private final BackendConnector connector;
    private final CancelRegistry cancels = new CancelRegistry();
    private final BackendPool pool;
    private final SessionRegistry sessions = new SessionRegistry();
    private final DatabasePauses pauses = new DatabasePauses();
    private volatile Supplier<ReloadOutcome> reloader = () -> new ReloadOutcome(false,
            List.of("RELOAD needs the proxy to be started with a configuration file (meridian run -c FILE)"));
    private volatile Supplier<HealthSnapshot> health;
    private final byte[] mockSecret = new byte[32];
    private final MeridianMetrics metrics = new MeridianMetrics(this::config);
    private volatile MeridianConfig config;
    private volatile UserDirectory users;
    private volatile ClientTls clientTls;

    public ProxyContext(MeridianConfig config, Transport transport, BackendConnector connector,
                        UserDirectory users, ClientTls clientTls) {
        this.config = config;
        this.transport = transport;
        this.connector = connector;
        this.pool = new BackendPool(connector, () -> this.config.pool(), (int) config.limits().maxMessageBytes());
        metrics.pool(new PoolStats(b -> pool.idleCount(b).getAsInt(), b -> pool.activeCount(b).getAsInt()));
        this.users = users;
        this.clientTls = clientTls;
        this.health = () -> HealthSnapshot.assumeUp(this.config.backends());
        new SecureRandom().nextBytes(mockSecret);
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public DatabasePauses pauses() {
        return pauses;
    }

    /** The health of every backend now. */
    public HealthSnapshot health() {
        return health.get();
    }

    public void health(Supplier<HealthSnapshot> source) {
        this.health = source;
    }

    /** RELOAD on the admin console. */
    public ReloadOutcome reload() {
        return reloader.get();
    }

    public void reloader(Supplier<ReloadOutcome> reloader) {
        this.reloader = reloader;
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
        metrics.authFailed(reason);
    }

    public MeridianMetrics metrics() {
        return metrics;
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

    /** Warm backend connections shared by all sessions. */
    public BackendPool pool() {
        return pool;
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
