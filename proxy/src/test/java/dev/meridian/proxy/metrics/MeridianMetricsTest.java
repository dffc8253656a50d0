package dev.meridian.proxy.metrics;

import dev.meridian.proxy.routing.RouteReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.routing.BackendHealth;
import dev.meridian.proxy.routing.HealthSnapshot;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeridianMetricsTest {
    private final MetricsFixture f = new MetricsFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** One of everything the facade records, as sessions through two regions would. */
    private void exercise() {
        EmbeddedChannel a = new EmbeddedChannel();
        f.metrics.clientConnected(a);
        f.metrics.startupReceived(a, "shop_1");
        f.metrics.backendConnected(f.backend("iad-1"), false, TimeUnit.MILLISECONDS.toNanos(3));
        f.metrics.routeDecided("iad", "iad", RouteReason.DATABASE);
        SessionMeters s = f.metrics.sessionStarted(a, f.backend("iad-1"), "shop_1");
        s.clientMessage((byte) 'Q');
        f.clock.add(Duration.ofMillis(2));
        s.backendMessage((byte) 'Z');
        s.fromClient(100);
        s.fromBackend(1000);
        s.ended();

        EmbeddedChannel b = new EmbeddedChannel();
        f.metrics.clientConnected(b);
        f.metrics.startupReceived(b, "orders");
        f.metrics.routeDecided("iad", "lhr", RouteReason.FAILOVER);
        f.metrics.sessionStarted(b, f.backend("lhr-1"), "orders").clientMessage((byte) 'P');
        f.metrics.authFailed("password");
    }

    @Test
    void everyContractMetricIsExposedWithExactlyItsLabels() {
        exercise();
        MetricsContract.assertSatisfiedBy(f.scrape());
    }

    @Test
    void queryLatencyIsAHistogramWithBucketsFromATenthOfAMillisecondToTenSeconds() {
        exercise();
        Exposition e = f.scrape();
        var les = e.series("meridian_query_duration_seconds_bucket").stream()
                .filter(s -> s.labels().get("backend_region").equals("iad")).map(s -> s.labels().get("le")).toList();
        assertThat(les).startsWith("1.0E-4").contains("0.001", "0.01", "0.1", "1.0", "10.0").endsWith("+Inf");
        assertThat(e.value("meridian_query_duration_seconds_bucket", Map.of("backend_region", "iad", "le", "0.001")))
                .isZero();
        assertThat(e.value("meridian_query_duration_seconds_bucket", Map.of("backend_region", "iad", "le", "0.0025")))
                .isEqualTo(1);
        assertThat(e.value("meridian_query_duration_seconds_sum", Map.of("backend_region", "iad"))).isEqualTo(0.002);
    }

    @Test
    void sessionCountsBytesAndConnectLatencyCarryTheBackendsRegion() {
        exercise();
        Exposition e = f.scrape();
        assertThat(e.value("meridian_sessions_total", Map.of("backend_region", "iad", "database", "shop_1", "outcome", "ok")))
                .isEqualTo(1);
        assertThat(e.value("meridian_sessions_total", Map.of("backend_region", "lhr", "database", "orders", "outcome", "ok")))
                .isEqualTo(1);
        assertThat(e.value("meridian_bytes_total", Map.of("backend_region", "iad", "direction", "client_to_backend")))
                .isEqualTo(100);
        assertThat(e.value("meridian_bytes_total", Map.of("backend_region", "iad", "direction", "backend_to_client")))
                .isEqualTo(1000);
        assertThat(e.value("meridian_backend_connect_seconds_count",
                Map.of("backend_region", "iad", "backend", "iad-1", "pooled", "false"))).isEqualTo(1);
        assertThat(e.value("meridian_session_duration_seconds_count", Map.of("backend_region", "iad"))).isEqualTo(1);
        assertThat(e.value("meridian_route_decisions_total",
                Map.of("client_region", "iad", "backend_region", "lhr", "reason", "failover"))).isEqualTo(1);
    }

    @Test
    void aRegionAReloadAddsIsCountedUnderItsOwnNameFromThenOn() {
        var config = new java.util.concurrent.atomic.AtomicReference<>(f.config);
        try (MeridianMetrics metrics = new MeridianMetrics(config::get, f.clock)) {
            metrics.routeDecided("mars", "iad", RouteReason.GEO);
            config.set(dev.meridian.proxy.config.ConfigLoader.parse(
                    "regions: { mars: { lat: 4.5, lon: 137.4 } }\n" + MetricsFixture.YAML, Map.of(), java.nio.file.Path.of(".")));
            metrics.reconfigured();
            metrics.routeDecided("mars", "iad", RouteReason.GEO);
            metrics.routeDecided("mars", "iad", RouteReason.GEO);
            Exposition e = Exposition.parse(new String(metrics.scrapeRoute()
                    .handle(new dev.meridian.proxy.server.admin.AdminRequest("GET", "/metrics", Map.of(), "")).body(),
                    StandardCharsets.UTF_8));
            assertThat(e.value("meridian_route_decisions_total",
                    Map.of("client_region", "unknown", "backend_region", "iad", "reason", "geo"))).isEqualTo(1);
            assertThat(e.value("meridian_route_decisions_total",
                    Map.of("client_region", "mars", "backend_region", "iad", "reason", "geo"))).isEqualTo(2);
        }
    }

    @Test
    void clientConnectionsMoveFromStartupToActiveAndLeaveWhenClosed() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        f.metrics.clientConnected(a);
        f.metrics.clientConnected(b);
        assertThat(connections("startup")).isEqualTo(2);
        f.metrics.sessionStarted(a, f.backend("iad-1"), "shop");
        assertThat(connections("startup")).isEqualTo(1);
        assertThat(connections("active")).isEqualTo(1);
        a.close();
        b.close();
        assertThat(connections("startup")).isZero();
        assertThat(connections("active")).isZero();
    }

    private double connections(String state) {
        return f.scrape().value("meridian_client_connections", Map.of("state", state));
    }

    @Test
    void refusalsCountOnlyForSessionAttemptsAndOnlyOnce() {
        EmbeddedChannel probe = new EmbeddedChannel();
        f.metrics.clientConnected(probe);
        f.metrics.sessionRefused(probe, "08P01"); // no StartupMessage yet: not a session
        EmbeddedChannel c = new EmbeddedChannel();
        f.metrics.clientConnected(c);
        f.metrics.startupReceived(c, "nowhere_db");
        f.metrics.sessionRefused(c, "28P01");
        f.metrics.sessionRefused(c, "08P01");
        Exposition e = f.scrape();
        assertThat(e.series("meridian_sessions_total")).singleElement().satisfies(s -> {
            assertThat(s.labels()).containsEntry("outcome", "auth_failed").containsEntry("backend_region", "none");
            assertThat(s.value()).isEqualTo(1);
        });
    }

    @Test
    void aRefusalSentWithoutTheFacadeAtHandFindsTheConnectionsMetricsThroughTheChannel() {
        EmbeddedChannel c = new EmbeddedChannel();
        f.metrics.clientConnected(c);
        f.metrics.startupReceived(c, "nowhere_db");
        MeridianMetrics.refusalSent(c, "3D000");
        MeridianMetrics.refusalSent(new EmbeddedChannel(), "3D000"); // untracked: ignored
        assertThat(f.scrape().value("meridian_sessions_total",
                Map.of("outcome", "refused", "database", "*", "backend_region", "none"))).isEqualTo(1);
    }

    @Test
    void backendFailuresCountUnderTheLastBackendTriedAuthWhenTheServerSaysSo() {
        for (String sqlState : new String[] {null, "3D000", "28P01"}) {
            EmbeddedChannel c = new EmbeddedChannel();
            f.metrics.clientConnected(c);
            f.metrics.startupReceived(c, "orders");
            f.metrics.backendFailed(c, f.backend("lhr-1"), sqlState);
        }
        Exposition e = f.scrape();
        assertThat(e.value("meridian_sessions_total", Map.of("outcome", "backend_error", "backend_region", "lhr")))
                .isEqualTo(2);
        assertThat(e.value("meridian_sessions_total", Map.of("outcome", "auth_failed", "backend_region", "lhr")))
                .isEqualTo(1);
    }

    @Test
    void backendGaugesFollowTheHealthSnapshot() {
        f.metrics.health(() -> HealthSnapshot.of(Map.of(
                "iad-1", new BackendHealth(true, BackendRole.PRIMARY, Duration.ofMillis(12)),
                "lhr-1", new BackendHealth(false, BackendRole.REPLICA, null))));
        Exposition e = f.scrape();
        assertThat(e.value("meridian_backend_up", Map.of("backend", "iad-1", "role", "primary", "backend_region", "iad")))
                .isEqualTo(1);
        assertThat(e.value("meridian_backend_up", Map.of("backend", "lhr-1", "role", "replica"))).isZero();
        assertThat(e.value("meridian_backend_health_rtt_seconds", Map.of("backend", "iad-1"))).isEqualTo(0.012);
        assertThat(e.value("meridian_backend_health_rtt_seconds", Map.of("backend", "lhr-1"))).isNaN();
    }

    @Test
    void untilHealthChecksRunEveryBackendIsUpWithItsConfiguredRole() {
        Exposition e = f.scrape();
        assertThat(e.value("meridian_backend_up", Map.of("backend", "iad-1", "role", "auto"))).isEqualTo(1);
        assertThat(e.value("meridian_backend_up", Map.of("backend", "lhr-1", "role", "auto"))).isEqualTo(1);
    }

    @Test
    void poolConnectionsAreReadFromThePoolAtEachScrape() {
        assertThat(f.scrape().value("meridian_pool_connections", Map.of("backend", "lhr-1", "state", "active"))).isZero();
        int[] lent = {3};
        f.metrics.pool(new PoolStats(backend -> backend.equals("lhr-1") ? 2 : 0, backend -> lent[0]));
        Exposition during = f.scrape();
        assertThat(during.value("meridian_pool_connections", Map.of("backend", "lhr-1", "state", "idle"))).isEqualTo(2);
        assertThat(during.value("meridian_pool_connections", Map.of("backend", "lhr-1", "state", "active"))).isEqualTo(3);
        assertThat(during.value("meridian_pool_connections", Map.of("backend", "iad-1", "state", "idle"))).isZero();
        lent[0] = 0;
        assertThat(f.scrape().value("meridian_pool_connections", Map.of("backend", "lhr-1", "state", "active"))).isZero();
    }

    @Test
    void authFailureReasonsAreAFixedVocabularyPresentFromTheStart() {
        Exposition before = f.scrape();
        assertThat(before.series("meridian_auth_failures_total")).extracting(s -> s.labels().get("reason"))
                .containsExactlyInAnyOrderElementsOf(MeridianMetrics.AUTH_FAILURE_REASONS);
        f.metrics.authFailed("password");
        f.metrics.authFailed("no such user bob");
        Exposition after = f.scrape();
        assertThat(after.value("meridian_auth_failures_total", Map.of("reason", "password"))).isEqualTo(1);
        assertThat(after.value("meridian_auth_failures_total", Map.of("reason", "other"))).isEqualTo(1);
    }

    @Test
    void jvmAndNettyAllocatorMetricsAreExposed() {
        Exposition e = f.scrape();
        assertThat(e.series("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(e.series("jvm_threads_live_threads")).isNotEmpty();
        assertThat(e.series("jvm_classes_loaded_classes")).isNotEmpty();
        assertThat(e.series("process_cpu_usage")).isNotEmpty();
        assertThat(e.series("netty_allocator_memory_used")).isNotEmpty();
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        exercise();
        var om = f.get("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(om.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
        String body = new String(om.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("# TYPE meridian_sessions counter").endsWith("# EOF\n");
        MetricsContract.assertSatisfiedBy(Exposition.parse(body));
        var text = f.get("text/plain");
        assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).doesNotContain("# EOF");
    }

    @Test
    void onlyGetIsAnswered() {
        var res = f.metrics.scrapeRoute().handle(new dev.meridian.proxy.server.admin.AdminRequest("POST", "/metrics",
                Map.of(), ""));
        assertThat(res.status()).isEqualTo(405);
    }
}
