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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 19, residency: a primary in iad and its streaming replica configured in lhr. A database
 * whose rule says {@code regions: [iad]} never reads from the lhr replica, over TCP (pgjdbc,
 * transaction pooling) or HTTP ({@code /sql}), with or without a read-your-writes floor; a
 * database allowed in both regions does (the control: the replica is healthy and would serve).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadResidencyIntegrationTests {
    private static final Logger LOG = LoggerFactory.getLogger(ReadResidencyIntegrationTests.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHERE = "SELECT pg_is_in_recovery()::int, current_setting('port')::int";
    private static final int READS = 100;

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").replica("lhr-r", "iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PgServer primary = PG.server("iad");
        primary.execute("postgres", "CREATE DATABASE resident");
        proxy = ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                  - { name: lhr-2, region: lhr, host: 127.0.0.1, port: "${REPLICA_PORT}", role: auto, user: postgres, password: "${PGPASS}" }""",
                """
                databases:
                  resident: { regions: [iad], pool_mode: transaction, target: auto }
                  "*": { regions: [iad, lhr], pool_mode: transaction, target: auto }""",
                "health: { interval: 1s, timeout: 1s, rise: 1, fall: 3, grace_period: 0s, causal_wait: 2s }",
                """
                edge:
                  listen: { host: 127.0.0.1, port: "${EDGE_PORT}" }"""),
                OneRegion.env(PG, Map.of("REPLICA_PORT", Integer.toString(PG.server("lhr-r").port()),
                        "EDGE_PORT", Integer.toString(ProxyFixture.freePort()))));
        HealthTesting.awaitRoles(proxy, Map.of("iad-1", BackendRole.PRIMARY, "lhr-2", BackendRole.REPLICA));
        Await.until(Duration.ofSeconds(30), () -> {
            double lag = proxy.server().context().healthMonitor().positions().of("lhr-2").lag();
            return !Double.isNaN(lag) && lag < 10;
        }, () -> "the replica's lag is not measured");
        Await.until(Duration.ofSeconds(30), () -> "1".equals(PG.server("lhr-r").query("postgres",
                "SELECT count(*) FROM pg_database WHERE datname = 'resident'")), () -> "the replica has no 'resident' yet");
    }

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void readsOfADatabaseOutsideTheReplicasRegionNeverGoToIt() throws Exception {
        int primaryPort = PG.server("iad").port();
        try (Connection c = connect("resident"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kept (n int)");
            for (int i = 0; i < READS; i++) {
                if (i % 10 == 0) {
                    s.execute("INSERT INTO kept VALUES (" + i + ")"); // a floor: reads then may wait for a replica
                }
                try (ResultSet rs = s.executeQuery(WHERE)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("TCP read %d in recovery", i).isZero();
                    assertThat(rs.getInt(2)).as("TCP read %d's server", i).isEqualTo(primaryPort);
                }
                try (Statement ro = c.createStatement()) {
                    ro.execute("BEGIN READ ONLY");
                    try (ResultSet rs = ro.executeQuery(WHERE)) {
                        rs.next();
                        assertThat(rs.getInt(2)).as("READ ONLY transaction %d's server", i).isEqualTo(primaryPort);
                    }
                    ro.execute("COMMIT");
                }
            }
        }
        String lsn = null;
        for (int i = 0; i < READS; i++) {
            if (i % 10 == 0) {
                lsn = post("resident", "{\"query\":\"INSERT INTO kept VALUES (1)\"}", null)
                        .headers().firstValue("Meridian-Lsn").orElseThrow();
            }
            JsonNode row = JSON.readTree(post("resident", "{\"query\":\"" + WHERE + "\"}", i % 2 == 0 ? lsn : null).body())
                    .get("rows").get(0);
            assertThat(row.get(1).asInt()).as("HTTP read %d's server", i).isEqualTo(primaryPort);
        }
        JsonNode batch = JSON.readTree(post("resident", "{\"queries\":[{\"query\":\"" + WHERE + "\"}]}", null,
                Map.of("Neon-Batch-Read-Only", "true")).body());
        assertThat(batch.get("results").get(0).get("rows").get(0).get(1).asInt()).as("read-only batch").isEqualTo(primaryPort);
        String metrics = AdminHttp.get(proxy.adminPort(), "/metrics").body();
        assertThat(metrics).as("nothing was routed to lhr")
                .doesNotContain("meridian_read_routing_total{backend_region=\"lhr\"")
                .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_lagging\"}");

        // The control: a database allowed in lhr is served by the same replica.
        int onReplica = 0;
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            for (int i = 0; i < READS; i++) {
                try (ResultSet rs = s.executeQuery(WHERE)) {
                    rs.next();
                    onReplica += rs.getInt(1);
                }
            }
        }
        JsonNode row = JSON.readTree(post("postgres", "{\"query\":\"" + WHERE + "\"}", null).body()).get("rows").get(0);
        LOG.info("control database: {} of {} TCP reads on the lhr replica; HTTP read on {}; {}", onReplica, READS, row,
                AdminHttp.get(proxy.adminPort(), "/metrics").body().lines()
                        .filter(l -> l.startsWith("meridian_read_routing") || l.startsWith("meridian_replica_lag")).toList());
        assertThat(onReplica).as("the control's reads on the replica").isGreaterThan(READS / 2);
        assertThat(AdminHttp.get(proxy.adminPort(), "/metrics").body())
                .contains("meridian_read_routing_total{backend_region=\"lhr\",decision=\"replica\"}");
    }

    private static Connection connect(String database) throws SQLException {
        return java.sql.DriverManager.getConnection(proxy.jdbcUrl(database) + "?prepareThreshold=0&sslmode=disable",
                "postgres", "");
    }

    private static HttpResponse<String> post(String database, String body, String lsn) throws Exception {
        return post(database, body, lsn, Map.of());
    }

    private static HttpResponse<String> post(String database, String body, String lsn, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().edgePort() + "/sql"))
                .timeout(Duration.ofSeconds(20))
                .header("Neon-Connection-String", "postgres://postgres@h/" + database)
                .header("Neon-Raw-Text-Output", "true").header("Neon-Array-Mode", "true")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (lsn != null) {
            b.header("Meridian-Lsn", lsn);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", body, r.body()).isEqualTo(200);
        return r;
    }
}
