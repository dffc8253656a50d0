package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.proxy.metrics.DashboardQueries;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a real proxy while pgbench drives both regions; then every query
 * of every Grafana dashboard is run against it and must parse and return data. A dashboard
 * that imports cleanly but shows "No data" fails here.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PrometheusDashboardIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    @TempDir
    static Path dir;
    static ProxyFixture proxy;
    static PrometheusProcess prometheus;

    @BeforeAll
    static void scrapeUnderLoad() throws Exception {
        var env = new java.util.HashMap<>(TwoRegions.env(PG.server("iad"), PG.server("lhr")));
        env.put("EDGE_PORT", Integer.toString(ProxyFixture.freePort()));
        proxy = ProxyFixture.start(TwoRegions.YAML + "edge: { listen: { host: 127.0.0.1, port: \"${EDGE_PORT}\" } }\n", env);
        prometheus = PrometheusProcess.start(dir, proxy.adminPort());
        TwoRegionLoad.prepare(PG, proxy).run(4);
        edgeRequests();
        // Rates need two samples that saw the load: wait for two more scrapes after it ended.
        double scrapesBefore = scrapes();
        Await.until(Duration.ofSeconds(20), () -> scrapes() >= scrapesBefore + 2,
                () -> "two more scrapes; prometheus log:\n" + prometheus.log());
    }

    /** A few {@code /sql} requests, so the edge panels have data too. */
    private static void edgeRequests() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (String db : new String[] {"orders", "postgres", "orders", "postgres"}) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + proxy.server().edgePort() + "/sql"))
                    .header("Neon-Connection-String", "postgres://postgres@h/" + db)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\":\"select 1\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static double scrapes() {
        List<JsonNode> r = prometheus.results("count_over_time(up{job=\"meridian\"}[5m])");
        return r.isEmpty() ? 0 : r.get(0).path("value").get(1).asDouble();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void prometheusScrapesTheProxyWithoutErrors() {
        List<JsonNode> up = prometheus.results("up{job=\"meridian\"}");
        assertThat(up).as(prometheus.log()).singleElement()
                .satisfies(s -> assertThat(s.path("value").get(1).asText()).isEqualTo("1"));
    }

    @Test
    void everyDashboardQueryParsesAndReturnsData() {
        List<DashboardQueries.Query> queries = DashboardQueries.all();
        List<String> failures = new ArrayList<>();
        for (DashboardQueries.Query q : queries) {
            try {
                if (prometheus.results(q.promql()).isEmpty()) {
                    failures.add(q.where() + ": no data for " + q.promql());
                }
            } catch (IllegalArgumentException e) {
                failures.add(q.where() + ": " + e.getMessage() + " in " + q.promql());
            }
        }
        assertThat(failures).as("of %d dashboard queries", queries.size()).isEmpty();
        assertThat(queries).hasSizeGreaterThan(20);
    }

    @Test
    void bothRegionsAreSeenThroughTheRegionVariable() {
        List<String> regions = new ArrayList<>();
        prometheus.query("group by (backend_region) (meridian_query_duration_seconds_count)").path("result")
                .forEach(s -> regions.add(s.path("metric").path("backend_region").asText()));
        assertThat(regions).containsExactlyInAnyOrder("iad", "lhr");
    }
}
