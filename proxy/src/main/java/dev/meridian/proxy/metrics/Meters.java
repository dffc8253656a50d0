package dev.meridian.proxy.metrics;

import dev.meridian.proxy.routing.RouteReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every Meridian meter, defined in one place: the names, labels and units of DESIGN.md's
 * Metrics table. Names are Micrometer's dotted form; the Prometheus registry turns
 * {@code meridian.query.duration} with base unit seconds into
 * {@code meridian_query_duration_seconds} and a counter {@code meridian.sessions} into
 * {@code meridian_sessions_total}.
 *
 * <p>No label is called {@code region}, {@code app}, {@code host} or {@code instance}: Fly's
 * scraper overwrites those. No label value is a user name or a client address.
 */
final class Meters {
    static final String CLIENT_CONNECTIONS = "meridian.client.connections";
    static final String SESSIONS = "meridian.sessions";
    static final String SESSION_DURATION = "meridian.session.duration";
    static final String BACKEND_CONNECT = "meridian.backend.connect";
    static final String QUERY_DURATION = "meridian.query.duration";
    static final String BYTES = "meridian.bytes";
    static final String AUTH_FAILURES = "meridian.auth.failures";
    static final String BACKEND_UP = "meridian.backend.up";
    static final String BACKEND_HEALTH_RTT = "meridian.backend.health.rtt";
    static final String ROUTE_DECISIONS = "meridian.route.decisions";
    static final String POOL_CONNECTIONS = "meridian.pool.connections";

    static final String BACKEND_REGION = "backend_region";
    static final String CLIENT_REGION = "client_region";
    static final String BACKEND = "backend";
    static final String DATABASE = "database";
    static final String STATE = "state";
    static final String OUTCOME = "outcome";
    static final String POOLED = "pooled";
    static final String DIRECTION = "direction";
    static final String REASON = "reason";
    static final String ROLE = "role";

    /** The label value for "no backend / no rule / not a known region". */
    static final String NONE = "none";

    /**
     * Latency buckets from 0.1 ms (a query answered from a warm cache on the same host) to
     * 10 s (a slow report or a connect that hit a timeout), roughly three per decade, so
     * {@code histogram_quantile} stays within a factor of 2.5 anywhere in that range.
     */
    static final Duration[] LATENCY_BUCKETS = {
        micros(100), micros(250), micros(500),
        millis(1), millis(2.5), millis(5),
        millis(10), millis(25), millis(50),
        millis(100), millis(250), millis(500),
        millis(1000), millis(2500), millis(5000), millis(10_000),
    };

    /**
     * Sessions last from milliseconds (a health probe, a CLI one-shot) to hours (an
     * application's pooled connection): the latency buckets, extended to an hour.
     */
    static final Duration[] SESSION_BUCKETS = concat(LATENCY_BUCKETS,
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1));

    private Meters() {
    }

    static void clientConnections(MeterRegistry registry, String state, AtomicLong count) {
        Gauge.builder(CLIENT_CONNECTIONS, count, AtomicLong::get)
                .description("Open client connections: in startup/authentication, or relaying")
                .tags(STATE, state)
                .register(registry);
    }

    static Timer queryDuration(MeterRegistry registry, String backendRegion, String database) {
        return Timer.builder(QUERY_DURATION)
                .description("Query (or extended-protocol batch up to Sync) until ReadyForQuery")
                .tags(BACKEND_REGION, backendRegion, DATABASE, database)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    static Timer sessionDuration(MeterRegistry registry, String backendRegion) {
        return Timer.builder(SESSION_DURATION)
                .description("Relayed client sessions, from relay start to its end")
                .tags(BACKEND_REGION, backendRegion)
                .serviceLevelObjectives(SESSION_BUCKETS)
                .register(registry);
    }

    static Timer backendConnect(MeterRegistry registry, String backendRegion, String backend, boolean pooled) {
        return Timer.builder(BACKEND_CONNECT)
                .description("Getting a logged-in backend connection: a warm one from the pool (pooled=true), "
                        + "or a fresh one through TCP, TLS and login (pooled=false)")
                .tags(BACKEND_REGION, backendRegion, BACKEND, backend, POOLED, Boolean.toString(pooled))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    static Counter sessions(MeterRegistry registry, String backendRegion, String database, SessionOutcome outcome) {
        return Counter.builder(SESSIONS)
                .description("Client sessions by outcome; ok is counted when the relay starts")
                .tags(BACKEND_REGION, backendRegion, DATABASE, database, OUTCOME, outcome.label())
                .register(registry);
    }

    static Counter bytes(MeterRegistry registry, String backendRegion, Direction direction) {
        return Counter.builder(BYTES)
                .description("Bytes relayed between clients and backends")
                .baseUnit("bytes")
                .tags(BACKEND_REGION, backendRegion, DIRECTION, direction.label())
                .register(registry);
    }

    static Counter authFailures(MeterRegistry registry, String reason) {
        return Counter.builder(AUTH_FAILURES)
                .description("Client authentication failures by reason")
                .tags(REASON, reason)
                .register(registry);
    }

    static Counter routeDecisions(MeterRegistry registry, String clientRegion, String backendRegion, RouteReason reason) {
        return Counter.builder(ROUTE_DECISIONS)
                .description("Sessions routed, by where the client is, where it went, and why")
                .tags(CLIENT_REGION, clientRegion, BACKEND_REGION, backendRegion, REASON, reason.label())
                .register(registry);
    }

    static MultiGauge backendUp(MeterRegistry registry) {
        return MultiGauge.builder(BACKEND_UP)
                .description("1 when the backend may take new sessions, else 0")
                .register(registry);
    }

    static MultiGauge backendHealthRtt(MeterRegistry registry) {
        return MultiGauge.builder(BACKEND_HEALTH_RTT)
                .description("Smoothed health-check round trip; NaN until measured")
                .baseUnit("seconds")
                .register(registry);
    }

    static MultiGauge poolConnections(MeterRegistry registry) {
        return MultiGauge.builder(POOL_CONNECTIONS)
                .description("Backend connections by state")
                .register(registry);
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1_000);
    }

    private static Duration millis(double n) {
        return Duration.ofNanos(Math.round(n * 1_000_000));
    }

    private static Duration[] concat(Duration[] head, Duration... tail) {
        Duration[] all = new Duration[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
