package dev.meridian.proxy.metrics;

import dev.meridian.proxy.routing.RouteReason;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.HealthSnapshot;
import dev.meridian.proxy.server.admin.AdminRoute;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the rest of Meridian reports to, and the {@code /metrics} route that exposes it. One
 * instance per server, owning its own Prometheus registry (tests run several servers in one
 * JVM).
 *
 * <p>Label values come from configuration (regions, backend names, rule patterns), from the
 * fixed vocabularies of DESIGN.md, or from a database a backend accepted. Nothing a client
 * sends before a backend accepted it becomes a label as given, and no method takes a user name
 * or an address: a client cannot mint series, and none identifies a person.
 */
public final class MeridianMetrics implements AutoCloseable {
    /**
     * The {@code reason} vocabulary of {@code meridian_auth_failures_total}: {@code password} (a
     * wrong password, or an unknown user, which fails the same way by design). A reason not in
     * this list counts as {@code other}; a new kind of failure adds its word here.
     */
    public static final List<String> AUTH_FAILURE_REASONS = List.of("password", "other");
    private static final String UNKNOWN_REGION = "unknown";

    private final Supplier<MeridianConfig> config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final RuntimeBinders runtime;
    private final ClientConnections connections;
    private final BackendGauges backends;
    /*
     * Meters resolved once per label set and kept: a registry lookup (builder, tag sorting, id
     * hashing) per session costs more than the rest of the bookkeeping together. Every key's
     * labels are bounded by the configuration or by databases a backend accepted, as the
     * registry's own series are.
     */
    private final Map<SeriesKey, SessionSeries> sessionSeries = new ConcurrentHashMap<>();
    private final Map<SeriesKey, Timer> connectTimers = new ConcurrentHashMap<>();
    private final Map<SeriesKey, Counter> routeCounters = new ConcurrentHashMap<>();

    /** @param config the configuration in force, read again on every use (reloads replace it) */
    public MeridianMetrics(Supplier<MeridianConfig> config) {
        this(config, Clock.SYSTEM);
    }

    MeridianMetrics(Supplier<MeridianConfig> config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        this.runtime = new RuntimeBinders(registry);
        this.connections = new ClientConnections(registry);
        this.backends = new BackendGauges(registry, () -> config.get().backends());
        // A counter that appears only at its first increment loses that increment to rate():
        // the fixed reasons start at 0.
        AUTH_FAILURE_REASONS.forEach(reason -> Meters.authFailures(registry, reason));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The admin {@code /metrics} route. */
    public AdminRoute scrapeRoute() {
        return new ScrapeRoute(registry, backends::refresh);
    }

    /** Where {@code meridian_backend_up} and the health RTT come from (default: every backend up, RTT unknown). */
    public void health(Supplier<HealthSnapshot> snapshots) {
        backends.health(snapshots);
    }

    /** Where {@code meridian_pool_connections} comes from (until called: all zero). */
    public void pool(PoolStats stats) {
        backends.pool(stats);
    }

    /** A client connection was accepted: counted as {@code startup} until its relay starts, and until it closes. */
    public void clientConnected(Channel client) {
        connections.opened(client);
    }

    /**
     * The client sent its StartupMessage: the connection is now a session attempt, and counts in
     * {@code meridian_sessions_total} whatever its outcome. Until a backend accepts the database,
     * its label is the pattern of the rule that matches it ({@code orders}, {@code shop*},
     * {@code *}) or {@code none}: never the name as the client sent it.
     */
    public void startupReceived(Channel client, String database) {
        String label = database == null ? Meters.NONE
                : config.get().routeFor(database).map(DatabaseRule::pattern).orElse(Meters.NONE);
        connections.attempted(client, label);
    }

    /** Meridian refused the session (before any backend said yes), with this SQLSTATE. */
    public void sessionRefused(Channel client, String sqlState) {
        connections.failed(client, Meters.NONE, SessionOutcome.refusal(sqlState));
    }

    /**
     * The same, for code that has the client channel but not this facade (the refusal helper
     * every refusal goes through): the channel knows its server's metrics. A connection that
     * already has an outcome, or never sent a StartupMessage, is not counted again.
     */
    public static void refusalSent(Channel client, String sqlState) {
        ClientConnections.refused(client, sqlState);
    }

    /** No backend took the session: the last one tried failed, with the server's SQLSTATE if it answered. */
    public void backendFailed(Channel client, BackendConfig lastTried, String serverSqlState) {
        connections.failed(client, lastTried.region(), SessionOutcome.backendFailure(serverSqlState));
    }

    /**
     * The relay starts on {@code backend} for the client's {@code database} (which the backend
     * just accepted): counts the session {@code ok} and returns its pre-bound meters.
     */
    public SessionMeters sessionStarted(Channel client, BackendConfig backend, String database) {
        SessionSeries series = sessionSeries.computeIfAbsent(new SeriesKey(backend.region(), database, null),
                k -> new SessionSeries(registry, k.first(), k.second()));
        connections.started(client, series.ok);
        return new SessionMeters(new QueryClock(series.queries, clock), series.clientToBackend, series.backendToClient,
                series.duration, clock);
    }

    /** A logged-in backend connection was obtained in {@code nanos} (fresh: {@code pooled=false}). */
    public void backendConnected(BackendConfig backend, boolean pooled, long nanos) {
        connectTimers.computeIfAbsent(new SeriesKey(backend.region(), backend.name(), pooled),
                        k -> Meters.backendConnect(registry, k.first(), k.second(), pooled))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A session was routed; a region code this configuration does not know is counted as {@code unknown}. */
    public void routeDecided(String clientRegion, String backendRegion, RouteReason reason) {
        // Keyed by the codes as given: a reload that forgets a region is a reason to clear the memo.
        routeCounters.computeIfAbsent(new SeriesKey(clientRegion, backendRegion, reason),
                k -> Meters.routeDecisions(registry, knownRegion(clientRegion), knownRegion(backendRegion), reason))
                .increment();
    }

    /** The configuration changed: label values that depend on it (known regions) are worked out again. */
    public void reconfigured() {
        routeCounters.clear();
    }

    /** A client failed authentication; {@code reason} outside {@link #AUTH_FAILURE_REASONS} counts as {@code other}. */
    public void authFailed(String reason) {
        Meters.authFailures(registry, AUTH_FAILURE_REASONS.contains(reason) ? reason : "other").increment();
    }

    private String knownRegion(String code) {
        return code != null && config.get().regions().containsKey(code) ? code : UNKNOWN_REGION;
    }

    /** Up to three label values; record equality makes it a map key. */
    private record SeriesKey(String first, String second, Object third) {
    }

    /** The meters every session on one (backend region, database) updates. */
    private static final class SessionSeries {
        final Counter ok;
        final Timer queries;
        final Counter clientToBackend;
        final Counter backendToClient;
        final Timer duration;

        SessionSeries(PrometheusMeterRegistry registry, String region, String database) {
            ok = Meters.sessions(registry, region, database, SessionOutcome.OK);
            queries = Meters.queryDuration(registry, region, database);
            clientToBackend = Meters.bytes(registry, region, Direction.CLIENT_TO_BACKEND);
            backendToClient = Meters.bytes(registry, region, Direction.BACKEND_TO_CLIENT);
            duration = Meters.sessionDuration(registry, region);
        }
    }

    @Override
    public void close() {
        runtime.close();
        registry.close();
    }
}
