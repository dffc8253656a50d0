package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 19 over HTTP: {@code POST /sql} of a {@code target: auto} database, against a real
 * primary and a streaming replica whose apply is delayed by 2 s (recovery_min_apply_delay), with
 * a plain HTTP client. A write answers with {@code Meridian-Lsn}; a read that passes it back never
 * sees data older than its write (0 stale); without it, reads go to the replica and may be stale
 * (measured and logged); reads without a floor are served by the replica.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EdgeReadRoutingIntegrationTests {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeReadRoutingIntegrationTests.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ = "SELECT pg_is_in_recovery()::int, coalesce(max(n), -1) FROM ryw_http WHERE client = $1";

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").replica("iad-r", "iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PgServer primary = PG.server("iad");
        primary.execute("postgres", "CREATE TABLE IF NOT EXISTS ryw_http (client int, n int)",
                "CREATE TABLE IF NOT EXISTS side_effects_http (at timestamptz DEFAULT now())",
                // Named like an allowed built-in: the classifier takes lower(1) for a read; the replica refuses it (25006).
                "CREATE OR REPLACE FUNCTION public.lower(x integer) RETURNS integer LANGUAGE plpgsql AS"
                        + " $$ BEGIN INSERT INTO side_effects_http DEFAULT VALUES; RETURN x; END $$");
        PG.server("iad-r").execute("postgres", "ALTER SYSTEM SET recovery_min_apply_delay = '2s'",
                "SELECT pg_reload_conf()");
        proxy = startProxy("max_replica_lag: 10s");
        HealthTesting.awaitRoles(proxy, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
        primary.execute("postgres", "INSERT INTO ryw_http VALUES (0, 0)"); // moves the primary's position
        awaitLag(proxy, 10);
        Await.until(Duration.ofSeconds(30), () -> "t".equals(PG.server("iad-r").query("postgres",
                "SELECT to_regprocedure('public.lower(integer)') IS NOT NULL")),
                () -> "the replica has not replayed lower(integer)");
    }

    private static void awaitLag(ProxyFixture p, double below) {
        Await.until(Duration.ofSeconds(30), () -> {
            double lag = p.server().context().healthMonitor().positions().of("iad-2").lag();
            return !Double.isNaN(lag) && lag < below;
        }, () -> "the replica's lag is not measured below " + below + " s");
    }

    private static ProxyFixture startProxy(String healthKeys) throws Exception {
        return ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                  - { name: iad-2, region: iad, host: 127.0.0.1, port: "${REPLICA_PORT}", role: auto, user: postgres, password: "${PGPASS}" }""",
                """
                databases:
                  "*": { regions: [iad], pool_mode: transaction, target: auto }""",
                "health: { interval: 1s, timeout: 1s, rise: 1, fall: 3, grace_period: 0s, " + healthKeys + " }",
                """
                edge:
                  listen: { host: 127.0.0.1, port: "${EDGE_PORT}" }
                  cors_origins: [ "http://good.example" ]"""),
                OneRegion.env(PG, Map.of("REPLICA_PORT", Integer.toString(PG.server("iad-r").port()),
                        "EDGE_PORT", Integer.toString(ProxyFixture.freePort()))));
    }

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static HttpResponse<String> sql(String query, List<Object> params, Map<String, String> headers)
            throws Exception {
        return sql(proxy, query, params, headers);
    }

    private static HttpResponse<String> sql(ProxyFixture p, String query, List<Object> params,
                                            Map<String, String> headers) throws Exception {
        return post(p, JSON.writeValueAsString(Map.of("query", query, "params", params)), headers);
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        return post(proxy, body, headers);
    }

    private static HttpResponse<String> post(ProxyFixture p, String body, Map<String, String> headers) throws Exception {
        HttpResponse<String> r = send(p, body, headers);
        assertThat(r.statusCode()).as("%s: %s", body, r.body()).isEqualTo(200);
        return r;
    }

    private static HttpResponse<String> send(ProxyFixture p, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.server().edgePort() + "/sql"))
                .timeout(Duration.ofSeconds(20))
                .header("Neon-Connection-String", "postgres://postgres@h/postgres")
                .header("Neon-Raw-Text-Output", "true").header("Neon-Array-Mode", "true")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode firstRow(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("rows").get(0);
    }

    /** Write-then-read loops of {@code clients} clients; returns {stale reads, reads served by the replica}. */
    private static int[] writeThenRead(int firstClient, int clients, int loops, boolean passBack) throws Exception {
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger onReplica = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = firstClient; c < firstClient + clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    for (int n = 1; n <= loops; n++) {
                        HttpResponse<String> w = sql("INSERT INTO ryw_http VALUES ($1, $2)", List.of(client, n), Map.of());
                        String lsn = w.headers().firstValue("Meridian-Lsn").orElseThrow();
                        JsonNode row = firstRow(sql(READ, List.of(client), passBack ? Map.of("Meridian-Lsn", lsn) : Map.of()));
                        onReplica.addAndGet(row.get(0).asInt());
                        stale.addAndGet(row.get(1).asInt() < n ? 1 : 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(200, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new int[] {stale.get(), onReplica.get()};
    }

    @Test
    void readOnlyRequestsWithoutAFloorAreServedByTheReplica() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = sql("SELECT pg_is_in_recovery()::int", List.of(), Map.of());
            assertThat(firstRow(r).get(0).asText()).as("read %d", i).isEqualTo("1");
            assertThat(r.headers().firstValue("Meridian-Lsn")).as("no floor, no position").isEmpty();
        }
        HttpResponse<String> batch = post("{\"queries\":[{\"query\":\"SELECT pg_is_in_recovery()::int\"}]}",
                Map.of("Neon-Batch-Read-Only", "true"));
        assertThat(JSON.readTree(batch.body()).get("results").get(0).get("rows").get(0).get(0).asText())
                .as("a read-only batch").isEqualTo("1");
        assertThat(AdminHttp.get(proxy.adminPort(), "/metrics").body())
                .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"replica\"}");
    }

    @Test
    void aReadThatWritesIsReRunOnThePrimaryUnseen() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = sql("SELECT lower(" + i + ") AS v, pg_is_in_recovery()::int AS r", List.of(), Map.of());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode row = firstRow(r);
            assertThat(row.get(0).asInt()).isEqualTo(i);
            assertThat(row.get(1).asInt()).as("answered by the primary").isZero();
            assertThat(r.headers().firstValue("Meridian-Lsn")).as("it wrote: its position comes back").isPresent();
        }
        assertThat(AdminHttp.get(proxy.adminPort(), "/metrics").body())
                .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_fallback\"}");
        // A read-only batch is the client's word: PostgreSQL's own answer stands.
        HttpResponse<String> batch = send(proxy, "{\"queries\":[{\"query\":\"SELECT lower(9)\"}]}",
                Map.of("Neon-Batch-Read-Only", "true"));
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(batch.body()).get("code").asText()).isEqualTo("25006");
    }

    @Test
    void writeThenReadWithTheHeaderPassedBackIsNeverStale() throws Exception {
        int[] r = writeThenRead(100, 4, 75, true);
        LOG.info("HTTP write-then-read with Meridian-Lsn passed back: {} stale of 300, {} served by the replica",
                r[0], r[1]);
        assertThat(r[0]).as("stale reads").isZero();
        assertThat(AdminHttp.get(proxy.adminPort(), "/metrics").body())
                .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_write\"}")
                .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_causal\"}");
    }

    @Test
    void withoutTheHeaderReadsGoToTheReplicaAndMayBeStale() throws Exception {
        int[] r = writeThenRead(200, 2, 50, false);
        LOG.info("HTTP write-then-read with Meridian-Lsn dropped: {} stale of 100, {} served by the replica", r[0], r[1]);
        assertThat(r[1]).as("reads served by the replica").isGreaterThan(0);
        assertThat(r[0]).as("stale reads: the replica applies 2 s late").isGreaterThan(0);
    }

    @Test
    void aFloorTheReplicaHasReplayedLetsItServeTheRead() throws Exception {
        HttpResponse<String> w = sql("INSERT INTO ryw_http VALUES (300, 1)", List.of(), Map.of());
        String lsn = w.headers().firstValue("Meridian-Lsn").orElseThrow();
        Await.until(Duration.ofSeconds(30), () -> {
            try {
                HttpResponse<String> r = sql(READ, List.of(300), Map.of("Meridian-Lsn", lsn));
                assertThat(firstRow(r).get(1).asInt()).as("the read sees the write").isEqualTo(1);
                assertThat(r.headers().firstValue("Meridian-Lsn")).as("the floor it honoured").hasValue(lsn);
                return firstRow(r).get(0).asInt() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> "the replica never served a read at floor " + lsn);
    }

    @Test
    void aReadOnlyBatchHonoursTheFloorToo() throws Exception {
        for (int n = 1; n <= 5; n++) {
            HttpResponse<String> w = sql("INSERT INTO ryw_http VALUES (700, $1)", List.of(n), Map.of());
            String lsn = w.headers().firstValue("Meridian-Lsn").orElseThrow();
            HttpResponse<String> r = post("{\"queries\":[{\"query\":\"" + READ + "\",\"params\":[700]}]}",
                    Map.of("Neon-Batch-Read-Only", "true", "Meridian-Lsn", lsn));
            JsonNode row = JSON.readTree(r.body()).get("results").get(0).get("rows").get(0);
            assertThat(row.get(1).asInt()).as("read-only batch %d sees the write (the replica applies 2 s late)", n)
                    .isEqualTo(n);
            assertThat(r.headers().firstValue("Meridian-Lsn")).as("the floor it honoured").hasValue(lsn);
        }
    }

    @Test
    void aBadHeaderIsA400NamingIt() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().edgePort() + "/sql"))
                .header("Neon-Connection-String", "postgres://postgres@h/postgres").header("Meridian-Lsn", "yesterday")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"select 1\"}")).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("code").asText()).isEqualTo("22P02");
        assertThat(error.get("message").asText()).contains("Meridian-Lsn");
    }

    @Test
    void corsLetsAPageSendAndReadTheHeader() throws Exception {
        HttpResponse<String> pre = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + proxy.server().edgePort() + "/sql"))
                .header("Origin", "http://good.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "meridian-lsn")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Meridian-Lsn");
        HttpResponse<String> w = sql("INSERT INTO ryw_http VALUES (400, 1)", List.of(), Map.of("Origin", "http://good.example"));
        assertThat(w.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("Meridian-Lsn");
        assertThat(w.headers().firstValue("Meridian-Lsn")).isPresent();
    }

    /** The value of meridian_read_routing_total for (iad, decision), 0 when absent. */
    private static double routed(ProxyFixture p, String decision) {
        String prefix = "meridian_read_routing_total{backend_region=\"iad\",decision=\"" + decision + "\"} ";
        return AdminHttp.get(p.adminPort(), "/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(0);
    }

    @Test
    void aCausalWaitLetsTheReplicaServeTheReadOnceItReplayedTheWrite() throws Exception {
        try (ProxyFixture patient = startProxy("max_replica_lag: 10s, causal_wait: 5s")) {
            HealthTesting.awaitRoles(patient, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            awaitLag(patient, 1);
            for (int n = 1; n <= 3; n++) {
                HttpResponse<String> w = sql(patient, "INSERT INTO ryw_http VALUES (500, $1)", List.of(n), Map.of());
                String lsn = w.headers().firstValue("Meridian-Lsn").orElseThrow();
                long start = System.nanoTime();
                HttpResponse<String> r = sql(patient, READ, List.of(500), Map.of("Meridian-Lsn", lsn));
                LOG.info("HTTP causal read {}: {} after {} ms", n, firstRow(r), (System.nanoTime() - start) / 1_000_000);
                assertThat(firstRow(r).get(1).asInt()).as("the read sees the write").isEqualTo(n);
                assertThat(firstRow(r).get(0).asInt()).as("served by the replica once it replayed").isEqualTo(1);
                assertThat(r.headers().firstValue("Meridian-Lsn")).as("the floor it honoured").hasValue(lsn);
            }
            assertThat(routed(patient, "replica")).isGreaterThanOrEqualTo(3);
            assertThat(routed(patient, "primary_causal")).isZero();
        }
    }

    @Test
    void aReplicaThatDoesNotCatchUpWithinTheWaitLeavesTheReadToThePrimary() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.meridian.proxy.edge.EdgeReads"))
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (ProxyFixture hasty = startProxy("max_replica_lag: 10s, causal_wait: 400ms");
             LogCapture log = LogCapture.of("dev.meridian.proxy.edge.EdgeReads")) {
            HealthTesting.awaitRoles(hasty, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            awaitLag(hasty, 0.4);
            // The replica applies 2 s late: it cannot replay the write within 400 ms.
            HttpResponse<String> w = sql(hasty, "INSERT INTO ryw_http VALUES (600, 1)", List.of(), Map.of());
            String lsn = w.headers().firstValue("Meridian-Lsn").orElseThrow();
            long start = System.nanoTime();
            HttpResponse<String> r = sql(hasty, READ, List.of(600), Map.of("Meridian-Lsn", lsn));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            LOG.info("HTTP causal read past the wait: {} after {} ms", firstRow(r), waitedMs);
            assertThat(firstRow(r).get(1).asInt()).as("the read sees the write").isEqualTo(1);
            assertThat(firstRow(r).get(0).asInt()).as("answered by the primary").isZero();
            assertThat(waitedMs).as("it waited health.causal_wait for the replica first").isGreaterThanOrEqualTo(400);
            assertThat(routed(hasty, "primary_causal")).isEqualTo(1);
            assertThat(log.matching(ch.qos.logback.classic.Level.DEBUG, "did not replay")).hasSize(1);
            // The replica's connection went back clean: it serves a read without a floor.
            assertThat(firstRow(sql(hasty, READ, List.of(600), Map.of())).get(0).asInt()).isEqualTo(1);
        }
    }
}
