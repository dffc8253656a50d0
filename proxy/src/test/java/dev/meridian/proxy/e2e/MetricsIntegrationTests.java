package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.metrics.Exposition;
import dev.meridian.proxy.metrics.MetricsContract;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real pgbench load through a real proxy into two regions, then {@code /metrics} over HTTP:
 * every contract metric is there with its region labels, and the numbers add up.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsIntegrationTests {
    /** A client user name that must never appear in the metrics. */
    private static final String CANARY_USER = "canary_user_7q";

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static ProxyFixture proxy;
    static TwoRegionLoad.Done load;

    @BeforeAll
    static void runLoad() throws Exception {
        proxy = ProxyFixture.start(TwoRegions.YAML, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
        load = TwoRegionLoad.prepare(PG, proxy).run(3);
        assertThat(psql(CANARY_USER, "postgres").exitCode()).isZero();
        assertThat(psql("postgres", "nowhere").stderr()).contains("is not served by this proxy");
        assertThat(psql("postgres", "shop_missing").stderr()).contains("does not exist");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static ProcessResult psql(String user, String database) {
        return PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), user, null, database, "-c", "SELECT 1");
    }

    private static Exposition scrape() {
        HttpResponse<String> res = AdminHttp.get(proxy.adminPort(), "/metrics", null);
        assertThat(res.statusCode()).isEqualTo(200);
        return Exposition.parse(res.body());
    }

    @Test
    void everyContractMetricIsScrapedWithItsLabels() {
        MetricsContract.assertSatisfiedBy(scrape());
    }

    @Test
    void queriesAreTimedPerRegionOncePerStatement() {
        Exposition e = scrape();
        double iad = e.value("meridian_query_duration_seconds_count", Map.of("backend_region", "iad", "database", "shop_bench"));
        double lhr = e.value("meridian_query_duration_seconds_count", Map.of("backend_region", "lhr", "database", "orders"));
        // Prepared (Bind/Execute/Sync) and simple (Query) statements each end in exactly one
        // ReadyForQuery. Beyond pgbench's statements: its -i setup and psql's probes, a few dozen.
        int perTx = TwoRegionLoad.STATEMENTS_PER_TRANSACTION;
        assertThat(iad).isBetween((double) load.iad() * perTx, load.iad() * perTx + 100.0);
        assertThat(lhr).isBetween((double) load.lhr() * perTx, load.lhr() * perTx + 100.0);
        assertThat(e.value("meridian_query_duration_seconds_bucket",
                Map.of("backend_region", "lhr", "database", "orders", "le", "+Inf"))).isEqualTo(lhr);
    }

    @Test
    void bytesConnectsSessionsAndRoutesCarryBothRegions() {
        Exposition e = scrape();
        for (String region : new String[] {"iad", "lhr"}) {
            assertThat(e.value("meridian_bytes_total", Map.of("backend_region", region, "direction", "client_to_backend")))
                    .isPositive();
            assertThat(e.value("meridian_bytes_total", Map.of("backend_region", region, "direction", "backend_to_client")))
                    .isPositive();
            assertThat(e.value("meridian_backend_connect_seconds_count", Map.of("backend_region", region, "pooled", "false")))
                    .isPositive();
            assertThat(e.value("meridian_session_duration_seconds_count", Map.of("backend_region", region))).isPositive();
            assertThat(e.value("meridian_route_decisions_total",
                    Map.of("client_region", "iad", "backend_region", region, "reason", "database"))).isPositive();
        }
        assertThat(e.value("meridian_sessions_total", Map.of("backend_region", "lhr", "database", "orders", "outcome", "ok")))
                .isGreaterThanOrEqualTo(3); // pgbench -i, two pgbench clients
    }

    @Test
    void refusedAndFailedSessionsAreCountedUnderTheirRule() {
        Exposition e = scrape();
        assertThat(e.value("meridian_sessions_total", Map.of("outcome", "refused", "database", "none"))).isEqualTo(1);
        assertThat(e.value("meridian_sessions_total",
                Map.of("outcome", "backend_error", "database", "shop*", "backend_region", "iad"))).isEqualTo(1);
    }

    @Test
    void everyClientConnectionIsGoneOnceClientsHangUp() {
        Await.until(Duration.ofSeconds(10), () -> scrape().value("meridian_client_connections", Map.of("state", "active")) == 0
                && scrape().value("meridian_client_connections", Map.of("state", "startup")) == 0, () -> "connections drain");
        Exposition e = scrape();
        assertThat(e.value("meridian_pool_connections", Map.of("backend", "iad-1", "state", "active"))).isZero();
        assertThat(e.value("meridian_backend_up", Map.of("backend", "lhr-1"))).isEqualTo(1);
    }

    @Test
    void warmPooledLeasesAreTimedApartFromFreshConnects() throws Exception {
        // Idle connections are kept per event loop: within a few sessions one lands on a warm one.
        Map<String, String> pooled = Map.of("backend", "lhr-1", "pooled", "true");
        for (int i = 0; i < 10 && scrape().series("meridian_backend_connect_seconds_count").stream()
                .noneMatch(s -> s.labels().entrySet().containsAll(pooled.entrySet())); i++) {
            Thread.sleep(100);
            assertThat(psql("postgres", "orders").exitCode()).isZero();
        }
        Exposition e = scrape();
        assertThat(e.value("meridian_backend_connect_seconds_count", pooled)).isPositive();
        assertThat(e.value("meridian_pool_connections", Map.of("backend", "lhr-1", "state", "idle"))).isPositive();
    }

    @Test
    void noUserNameOrClientAddressAppears() {
        String text = AdminHttp.get(proxy.adminPort(), "/metrics", null).body();
        assertThat(text).doesNotContain(CANARY_USER).doesNotContain("127.0.0.1");
    }

    @Test
    void prometheusGetsOpenMetrics() {
        HttpResponse<String> res = AdminHttp.get(proxy.adminPort(), "/metrics",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/openmetrics-text"));
        assertThat(res.body()).endsWith("# EOF\n");
        MetricsContract.assertSatisfiedBy(Exposition.parse(res.body()));
    }
}
