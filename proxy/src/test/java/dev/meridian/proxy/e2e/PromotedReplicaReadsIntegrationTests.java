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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 19, a promoted replica: write-then-read clients (pgjdbc over transaction pooling, and
 * HTTP {@code /sql} passing {@code Meridian-Lsn} back) run through {@code target: auto} while the
 * replica (apply delayed 500 ms, so reads wait for it or go to the primary) is promoted with
 * {@code pg_ctl promote}. Before promoting, the old primary is made to refuse writes
 * ({@code default_transaction_read_only}) and the replica has received all of its WAL, as in a
 * clean failover: no committed write is lost, so any read not seeing the client's own preceding
 * write would be a stale read. Clients get correct answers or an error with a SQLSTATE, never a
 * stale read; once the health checks see the promotion (iad-2 a primary, iad-1 a stale primary on
 * the older timeline) reads go to iad-2 as the primary, never as a replica.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PromotedReplicaReadsIntegrationTests {
    private static final Logger LOG = LoggerFactory.getLogger(PromotedReplicaReadsIntegrationTests.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ =
            "SELECT coalesce(max(n), -1), pg_is_in_recovery()::int, current_setting('port')::int FROM promo WHERE client = $1";

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").replica("iad-r", "iad").build();

    static ProxyFixture proxy;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong onReplica = new AtomicLong();
    private final AtomicLong onPromoted = new AtomicLong();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void promotingTheReplicaUnderWriteThenReadClientsGivesNoStaleRead() throws Exception {
        for (String logger : List.of("dev.meridian.proxy.session.ReadRouter", "dev.meridian.proxy.edge.EdgeReads")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(ch.qos.logback.classic.Level.DEBUG);
        }
        PgServer old = PG.server("iad");
        PgServer replica = PG.server("iad-r");
        old.execute("postgres", "CREATE TABLE promo (client int, n int)");
        replica.execute("postgres", "ALTER SYSTEM SET recovery_min_apply_delay = '500ms'", "SELECT pg_reload_conf()");
        proxy = ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                  - { name: iad-2, region: iad, host: 127.0.0.1, port: "${REPLICA_PORT}", role: auto, user: postgres, password: "${PGPASS}" }""",
                """
                databases:
                  "*": { regions: [iad], pool_mode: transaction, target: auto }""",
                "health: { interval: 500ms, timeout: 500ms, rise: 1, fall: 4, grace_period: 0s, causal_wait: 1s }",
                """
                edge:
                  listen: { host: 127.0.0.1, port: "${EDGE_PORT}" }"""),
                OneRegion.env(PG, Map.of("REPLICA_PORT", Integer.toString(replica.port()),
                        "EDGE_PORT", Integer.toString(ProxyFixture.freePort()))));
        HealthTesting.awaitRoles(proxy, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
        Await.until(Duration.ofSeconds(30), () -> replicaLag() < 1, () -> "the replica's lag is not measured");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        try {
            for (int id = 0; id < 3; id++) {
                int client = id;
                clients.add(pool.submit(() -> tcpClient(client)));
            }
            clients.add(pool.submit(() -> httpClient(10)));
            Await.until(Duration.ofSeconds(60), () -> reads.get() >= 20, () -> "only " + reads.get() + " reads");
            long readsBefore = reads.get();
            failOver(old, replica);
            HealthTesting.awaitRoles(proxy, Map.of("iad-2", BackendRole.PRIMARY));
            Await.until(Duration.ofSeconds(30), () -> proxy.server().context().healthMonitor().current()
                    .stalePrimary("iad-1"), () -> "iad-1 is not seen as a stale primary");
            long readsAtNotice = reads.get();
            Await.until(Duration.ofSeconds(60), () -> reads.get() >= readsAtNotice + 20,
                    () -> "only " + (reads.get() - readsAtNotice) + " reads after the promotion was noticed");
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            LOG.info("promotion under write-then-read clients: {} reads ({} before promoting, {} after the checks"
                    + " noticed), {} stale, {} on the replica, {} on the promoted server as primary; errors: {}",
                    reads.get(), readsBefore, reads.get() - readsAtNotice, stale.get(), onReplica.get(), onPromoted.get(),
                    errors);
            assertThat(stale.get()).as("stale reads").isZero();
            assertThat(readsBefore).as("reads before the promotion").isGreaterThan(10);
            assertThat(reads.get() - readsAtNotice).as("reads once the promotion was noticed").isGreaterThan(10);
            assertThat(onPromoted.get()).as("reads served by the promoted server").isGreaterThan(0);
            assertThat(errors).as("every error carries a SQLSTATE").allSatisfy(e -> assertThat(e).matches("[0-9A-Z]{5} .*"));
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        theExReplicaTakesNoReadsAsAReplica(replica.port());
    }

    /** A clean failover: the old primary refuses writes, the replica has received all of its WAL, then it is promoted. */
    private static void failOver(PgServer old, PgServer replica) throws Exception {
        old.execute("postgres", "ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()");
        Thread.sleep(300); // transactions that began before the reload end
        String last = old.query("postgres", "SELECT pg_current_wal_lsn()::text");
        Await.until(Duration.ofSeconds(30), () -> "t".equals(replica.query("postgres",
                "SELECT pg_last_wal_receive_lsn() >= '" + last + "'::pg_lsn")), () -> "the replica did not receive " + last);
        LOG.info("promoting iad-2 (the old primary stopped writing at {})", last);
        replica.promote();
    }

    /** After the promotion was noticed, fresh clients' reads go to the promoted server as the primary. */
    private void theExReplicaTakesNoReadsAsAReplica(int promotedPort) throws Exception {
        double replicaDecisions = routed("replica");
        try (Connection c = connect(); PreparedStatement read = c.prepareStatement(READ.replace("$1", "?"))) {
            for (int i = 0; i < 50; i++) {
                read.setInt(1, 0);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(2)).as("read %d in recovery", i).isZero();
                    assertThat(rs.getInt(3)).as("read %d's server", i).isEqualTo(promotedPort);
                }
            }
        }
        JsonNode row = JSON.readTree(sql(READ, List.of(0), null).body()).get("rows").get(0);
        assertThat(row.get(2).asInt()).as("an HTTP read's server").isEqualTo(promotedPort);
        assertThat(routed("replica")).as("reads routed to a replica after the promotion").isEqualTo(replicaDecisions);
        assertThat(routed("primary_lagging")).as("no replica left: reads counted primary_lagging").isGreaterThan(0);
    }

    private Void tcpClient(int client) {
        int n = 0;
        while (!stop.get()) {
            try (Connection c = connect();
                 PreparedStatement write = c.prepareStatement("INSERT INTO promo VALUES (?, ?)");
                 PreparedStatement read = c.prepareStatement(READ.replace("$1", "?"))) {
                while (!stop.get()) {
                    n++;
                    write.setInt(1, client);
                    write.setInt(2, n);
                    write.executeUpdate();
                    read.setInt(1, client);
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                        counted(rs.getInt(1), n, rs.getInt(2), rs.getInt(3));
                    }
                }
            } catch (SQLException e) {
                errors.add(e.getSQLState() + " " + e.getMessage());
                pause();
            }
        }
        return null;
    }

    private Void httpClient(int client) throws Exception {
        String lsn = null;
        for (int n = 1; !stop.get(); n++) {
            HttpResponse<String> w = sql("INSERT INTO promo VALUES ($1, $2)", List.of(client, n), lsn);
            if (w.statusCode() != 200) {
                errors.add(JSON.readTree(w.body()).get("code").asText() + " HTTP " + w.statusCode() + " " + w.body());
                pause();
                continue;
            }
            lsn = w.headers().firstValue("Meridian-Lsn").orElseThrow();
            HttpResponse<String> r = sql(READ, List.of(client), lsn);
            if (r.statusCode() != 200) {
                errors.add(JSON.readTree(r.body()).get("code").asText() + " HTTP " + r.statusCode() + " " + r.body());
                continue;
            }
            JsonNode row = JSON.readTree(r.body()).get("rows").get(0);
            counted(row.get(0).asInt(), n, row.get(1).asInt(), row.get(2).asInt());
        }
        return null;
    }

    private void counted(int seen, int wrote, int inRecovery, int port) {
        reads.incrementAndGet();
        if (seen < wrote) {
            stale.incrementAndGet();
            LOG.warn("stale read: wrote {}, read {} (in recovery: {}, port {})", wrote, seen, inRecovery, port);
        }
        onReplica.addAndGet(inRecovery);
        if (inRecovery == 0 && port == PG.server("iad-r").port()) {
            onPromoted.incrementAndGet();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double replicaLag() {
        return proxy.server().context().healthMonitor().positions().of("iad-2").lag();
    }

    private static double routed(String decision) {
        String prefix = "meridian_read_routing_total{backend_region=\"iad\",decision=\"" + decision + "\"} ";
        return AdminHttp.get(proxy.adminPort(), "/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(0);
    }

    private static Connection connect() throws SQLException {
        return java.sql.DriverManager.getConnection(proxy.jdbcUrl("postgres")
                + "?prepareThreshold=0&sslmode=disable&socketTimeout=30", "postgres", "");
    }

    private static HttpResponse<String> sql(String query, List<Object> params, String lsn) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().edgePort() + "/sql"))
                .timeout(Duration.ofSeconds(30))
                .header("Neon-Connection-String", "postgres://postgres@h/postgres")
                .header("Neon-Raw-Text-Output", "true").header("Neon-Array-Mode", "true")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query, "params", params))));
        if (lsn != null) {
            b.header("Meridian-Lsn", lsn);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
