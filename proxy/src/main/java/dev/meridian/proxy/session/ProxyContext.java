package dev.meridian.proxy.session;

import dev.meridian.proxy.metrics.MeridianMetrics;
import dev.meridian.proxy.metrics.PoolStats;
import dev.meridian.proxy.ops.Ops;
import dev.meridian.proxy.auth.FailedLogins;
import dev.meridian.proxy.auth.UserDirectory;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.health.HealthMonitor;
import dev.meridian.proxy.backend.pool.BackendPool;
import dev.meridian.proxy.backend.pool.TransactionPools;
import dev.meridian.proxy.metrics.PoolingMeters;
import dev.meridian.proxy.cluster.InstanceTag;
import dev.meridian.proxy.cluster.Siblings;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.HealthSnapshot;
import dev.meridian.proxy.routing.Router;
import dev.meridian.proxy.server.ReloadOutcome;
import dev.meridian.proxy.server.Transport;
import dev.meridian.proxy.tls.ClientTls;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session shares: the configuration in force and its router (replaced whole on
 * reload; a session keeps the snapshot it started with), the latest backend health, the backend
 * connector and pool, the cancel key registry and the siblings cancels are forwarded to, and the
 * admin console's view of sessions.
 */
public final class ProxyContext {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyContext.class);

    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicInteger openClients = new AtomicInteger();
    private final Transport transport;
    private final BackendConnector connector;
    private final CancelRegistry cancels;
    private final Siblings siblings;
    private final BackendPool pool;
    private final TransactionPools transactionPools;
    private final PoolingMeters poolingMeters;
    private final dev.meridian.proxy.metrics.ReadRoutingMeters readRoutingMeters;
    private final SessionRegistry sessions = new SessionRegistry();
    private final DatabasePauses pauses = new DatabasePauses();
    private final Ops ops = new Ops();
    private final FailedLogins failedLogins = FailedLogins.create();
    private final byte[] mockSecret;
    private volatile Supplier<ReloadOutcome> reloader = () -> new ReloadOutcome(false,
            List.of("RELOAD needs the proxy to be started with a configuration file (meridian run -c FILE)"));
    private final MeridianMetrics metrics = new MeridianMetrics(this::config);
    private volatile MeridianConfig config;
    private volatile Router router;
    private final HealthMonitor healthMonitor;
    private volatile boolean draining;
    private volatile UserDirectory users;
    private volatile ClientTls clientTls;

    /** Opens the configuration's geo database: a ConfigException if it cannot. */
    public ProxyContext(MeridianConfig config, Transport transport, BackendConnector connector,
                        UserDirectory users, ClientTls clientTls, HealthMonitor healthMonitor) {
        this.healthMonitor = healthMonitor;
        replace(config, users, clientTls);
        this.transport = transport;
        this.connector = connector;
        this.cancels = new CancelRegistry(InstanceTag.of(config.cluster().instance()));
        this.siblings = Siblings.create(this::config, transport);
        if (config.cluster().hasSiblings()) {
            LOG.info("cluster: instance {} ({}), {} static peers{}", config.cluster().instance(), cancels.tag(),
                    config.cluster().peers().size(),
                    config.cluster().peersDns() == null ? "" : ", peers from DNS " + config.cluster().peersDns());
        }
        this.pool = new BackendPool(connector, () -> this.config.pool(), (int) config.limits().maxMessageBytes());
        this.transactionPools = new TransactionPools(pool, () -> this.config.pool());
        this.poolingMeters = new PoolingMeters(metrics.registry(), transactionPools::waiting);
        this.readRoutingMeters = new dev.meridian.proxy.metrics.ReadRoutingMeters(metrics.registry(),
                b -> healthMonitor.positions().of(b).lag());
        config.backends().stream().filter(b -> b.role() != dev.meridian.proxy.config.BackendRole.PRIMARY)
                .forEach(b -> readRoutingMeters.replica(b.name()));
        metrics.pool(new PoolStats(b -> pool.idleCount(b).getAsInt(), b -> pool.activeCount(b).getAsInt()));
        metrics.health(this::health);
        this.mockSecret = dev.meridian.proxy.auth.MockSalt.secret(config);
    }

    public MeridianConfig config() {
        return config;
    }

    /**
     * Installs a new configuration (hot reload) for new sessions; sessions in flight keep theirs.
     * Its router is built first, so a bad geo database changes nothing.
     */
    public void replace(MeridianConfig newConfig, UserDirectory newUsers, ClientTls newTls) {
        Router newRouter = Router.open(newConfig);
        this.users = newUsers;
        this.clientTls = newTls;
        this.router = newRouter;
        this.config = newConfig;
        metrics.reconfigured();
    }

    /** The router of the configuration in force; {@code router().config()} is that configuration. */
    public Router router() {
        return router;
    }

    /**
     * The health checker's latest snapshot, read by the router without locks; before the first
     * checks every backend is up with its configured role.
     */
    public HealthSnapshot health() {
        return healthMonitor.current();
    }

    /** The health checks themselves: {@code suspect(...)} on connect failures, detail for admin and metrics. */
    public HealthMonitor healthMonitor() {
        return healthMonitor;
    }

    /** Whether the proxy is draining: {@code /ready} then answers 503 so no new traffic arrives. */
    public boolean draining() {
        return draining;
    }

    public void draining(boolean value) {
        this.draining = value;
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

    /** Failed logins per client address, kept across reloads: {@code auth.failure_backoff}. */
    public FailedLogins failedLogins() {
        return failedLogins;
    }

    public MeridianMetrics metrics() {
        return metrics;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public DatabasePauses pauses() {
        return pauses;
    }

    /** The operator's view: SHOW STATS counters, recent route decisions, server controls. */
    public Ops ops() {
        return ops;
    }

    /** RELOAD on the admin console. */
    public ReloadOutcome reload() {
        return reloader.get();
    }

    public void reloader(Supplier<ReloadOutcome> reloader) {
        this.reloader = reloader;
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

    /** Transaction pools (pool.mode: transaction), one per backend and startup parameters. */
    public TransactionPools transactionPools() {
        return transactionPools;
    }

    /** meridian_read_routing_total and meridian_replica_lag_seconds (target: auto). */
    public dev.meridian.proxy.metrics.ReadRoutingMeters readRoutingMeters() {
        return readRoutingMeters;
    }

    public PoolingMeters poolingMeters() {
        return poolingMeters;
    }

    /** Cancel keys of this instance's sessions; their tag is fixed by {@code cluster.instance} at start. */
    public CancelRegistry cancels() {
        return cancels;
    }

    /** Where cancels for other instances' keys are sent. */
    public Siblings siblings() {
        return siblings;
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
