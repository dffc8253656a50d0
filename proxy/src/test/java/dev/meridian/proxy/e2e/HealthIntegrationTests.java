package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.meridian.proxy.backend.health.BackendStatus;
import dev.meridian.proxy.backend.health.CheckState;
import dev.meridian.proxy.backend.health.HealthReport;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checks against real servers that are SIGKILLed, restarted and promoted under a running
 * proxy: new sessions move away and back, pinned databases are refused fast, {@code /ready}
 * follows; sessions caught in flight get a FATAL error at once and the others carry on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HealthIntegrationTests {
    private static final Logger LOG = LoggerFactory.getLogger(HealthIntegrationTests.class);

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder()
            .server("iad").server("lhr").replica("iad-r", "iad").build();

    private ProxyFixture proxy;

    @AfterEach
    void stopProxyAndRestartServers() {
        if (proxy != null) {
            proxy.close();
        }
        HealthTesting.restartIfDown(PG.server("iad"), PG.server("lhr"));
    }

    private void startProxy(Duration interval) throws Exception {
        proxy = HealthTesting.twoRegions(PG.server("iad"), PG.server("lhr"), interval);
        HealthTesting.awaitRoles(proxy, Map.of("iad-1", BackendRole.PRIMARY, "lhr-1", BackendRole.PRIMARY));
    }

    private HealthReport health() {
        return proxy.server().context().healthMonitor().current();
    }

    private String port(String database) throws SQLException {
        try (Connection c = proxy.connect(database, "postgres", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW port")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aKilledRegionLosesNewSessionsToTheNextWithinIntervalTimesFallPlusOne() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        PgServer iad = PG.server("iad");
        assertThat(port("postgres")).isEqualTo(Integer.toString(iad.port()));
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.health")) {
            long before = System.nanoTime();
            iad.kill();
            long killed = System.nanoTime();
            Await.until(HealthTesting.WAIT, () -> !health().health("iad-1").up(), () -> "iad-1 still up: " + health());
            long detected = System.nanoTime();
            LOG.info("SIGKILL to iad-1 out of routing: {} ms after the kill began, {} ms after the port closed",
                    (detected - before) / 1_000_000, (detected - killed) / 1_000_000);
            assertThat(Duration.ofNanos(detected - killed)).isLessThanOrEqualTo(HealthTesting.DETECTION_BOUND);
            assertThat(health().status("iad-1").orElseThrow().state()).isEqualTo(CheckState.DOWN);

            assertThat(port("postgres")).isEqualTo(Integer.toString(PG.server("lhr").port()));
            assertThat(health().health("lhr-1").up()).isTrue();
            HealthTesting.letChecksRun(4);
            assertThat(log.matching(Level.INFO, "backend iad-1 (iad) is down: ")).hasSize(1);
            assertThat(log.matching(Level.WARN, "all backends of region iad are down")).hasSize(1);
            assertThat(log.matching(Level.INFO, "lhr-1")).isEmpty();
        }
    }

    @Test
    void aPinnedDatabaseAnswers57P03InUnderASecond() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        PG.server("iad").kill();
        // At once, before the checker can know: the refused connect itself answers.
        HealthTesting.assertRefusedFast(proxy, "pinned");
        Await.until(HealthTesting.WAIT, () -> health().status("iad-1").orElseThrow().state() == CheckState.DOWN,
                () -> "iad-1 not down: " + health());
        // Once it is known down: routing refuses without trying.
        HealthTesting.assertRefusedFast(proxy, "pinned");
        assertThat(port("postgres")).as("unpinned databases still served")
                .isEqualTo(Integer.toString(PG.server("lhr").port()));
    }

    @Test
    void aRefusedSessionConnectMarksTheBackendSuspectAtOnce() throws Exception {
        // Checks so rare that only the session's evidence can explain what follows.
        startProxy(Duration.ofSeconds(60));
        PG.server("iad").kill();
        assertThat(port("postgres")).as("the client never notices: the session moves on inside its startup")
                .isEqualTo(Integer.toString(PG.server("lhr").port()));
        Await.until(Duration.ofSeconds(5), () -> health().status("iad-1").orElseThrow().state() == CheckState.DOWN,
                () -> "iad-1 not confirmed down by an immediate probe: " + health());
        BackendStatus iad = health().status("iad-1").orElseThrow();
        assertThat(iad.up()).isFalse();
        assertThat(iad.health().rtt()).as("no stale RTT for a down backend (SHOW BACKENDS, /routes)").isNull();
        assertThat(iad.reason()).contains("connection refused").doesNotContain("error(");
    }

    @Test
    void aBackendDownAtStartCountsOnlyAfterTheGracePeriod() throws Exception {
        PG.server("lhr").kill();
        Map<String, String> env = HealthTesting.env(PG.server("iad"), PG.server("lhr"));
        env.put("GRACE", "2s");
        long started = System.nanoTime();
        proxy = ProxyFixture.start(HealthTesting.yaml(HealthTesting.TWO_BACKENDS), env);
        Await.until(HealthTesting.WAIT, () -> !health().health("lhr-1").up(), () -> "lhr-1 never down: " + health());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(health().status("lhr-1").orElseThrow().reason()).contains("connection refused").doesNotContain("error(");
        assertThat(health().health("iad-1").up()).isTrue();
    }

    @Test
    void aBackendWithoutCredentialsIsCheckedAtTheProtocolLevel() throws Exception {
        // Sessions would log in as their clients; the probe can only see that PostgreSQL answers.
        proxy = ProxyFixture.start(HealthTesting.yaml("""
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto }
                  - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", role: primary }
                """), HealthTesting.env(PG.server("iad"), PG.server("lhr")));
        Await.until(HealthTesting.WAIT, () -> health().health("iad-1").rtt() != null, () -> "no check passed: " + health());
        HealthTesting.letChecksRun(3);
        assertThat(health().health("iad-1")).satisfies(h -> {
            assertThat(h.up()).isTrue();
            assertThat(h.role()).as("cannot be asked without a login").isEqualTo(BackendRole.AUTO);
        });
        assertThat(health().health("lhr-1").role()).isEqualTo(BackendRole.PRIMARY);
        PG.server("lhr").kill();
        Await.until(HealthTesting.WAIT, () -> !health().health("lhr-1").up(), () -> "lhr-1 still up: " + health());
    }

    @Test
    void readyIs503WhenAllAreDownAndEverythingComesBackAfterRise() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        int admin = proxy.adminPort();
        assertThat(AdminHttp.get(admin, "/ready")).isEqualTo(new AdminHttp.Answer(200, "ready\n"));
        PG.server("iad").kill();
        PG.server("lhr").kill();
        Await.until(HealthTesting.WAIT, () -> AdminHttp.get(admin, "/ready").status() == 503, () -> "still ready");
        assertThat(AdminHttp.get(admin, "/ready").body()).isEqualTo("not ready: no backend is up\n");
        assertThat(AdminHttp.get(admin, "/health")).as("the process is alive").isEqualTo(new AdminHttp.Answer(200, "ok\n"));
        try (Socket tcpCheck = new Socket("127.0.0.1", admin)) {
            assertThat(tcpCheck.isConnected()).as("a TCP check passes too").isTrue();
        }
        assertThat(AdminHttp.get(admin, "/routes").body()).contains("\"up\" : false").doesNotContain("\"up\" : true");

        PG.server("iad").start();
        long restarted = System.nanoTime();
        Await.until(HealthTesting.WAIT, () -> health().health("iad-1").up(), () -> "iad-1 not back: " + health());
        LOG.info("iad-1 back in routing {} ms after its server accepted logins again (rise {}, interval {} ms)",
                (System.nanoTime() - restarted) / 1_000_000, HealthTesting.RISE, HealthTesting.INTERVAL.toMillis());
        assertThat(AdminHttp.get(admin, "/ready").status()).isEqualTo(200);
        assertThat(port("postgres")).as("sessions move back").isEqualTo(Integer.toString(PG.server("iad").port()));
        assertThat(port("pinned")).isEqualTo(Integer.toString(PG.server("iad").port()));

        PG.server("lhr").start();
        Await.until(HealthTesting.WAIT, () -> health().health("lhr-1").up(), () -> "lhr-1 not back: " + health());
        assertThat(AdminHttp.get(admin, "/routes").body()).doesNotContain("\"up\" : false");
    }

    @Test
    void drainingMakesReadyAnswer503() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        proxy.server().context().draining(true);
        assertThat(AdminHttp.get(proxy.adminPort(), "/ready")).isEqualTo(new AdminHttp.Answer(503, "not ready: draining\n"));
        assertThat(AdminHttp.get(proxy.adminPort(), "/routes").body()).contains("\"draining\" : true");
        proxy.server().context().draining(false);
        assertThat(AdminHttp.get(proxy.adminPort(), "/ready").status()).isEqualTo(200);
    }

    @Test
    void routesShowRolesRttAndAllowedRegions() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        Await.until(HealthTesting.WAIT, () -> health().health("lhr-1").rtt() != null, () -> "no rtt yet");
        String routes = AdminHttp.get(proxy.adminPort(), "/routes").body();
        assertThat(routes).contains("\"name\" : \"iad-1\"", "\"role\" : \"primary\"", "\"configured_role\" : \"auto\"",
                "\"pattern\" : \"pinned\"", "\"restricted\" : true");
        assertThat(health().health("lhr-1").rtt()).isPositive().isLessThan(HealthTesting.INTERVAL);
    }

    @Test
    void aPromotedReplicaIsFollowedAsPrimary() throws Exception {
        PgServer replica = PG.server("iad-r");
        Map<String, String> env = new HashMap<>(HealthTesting.env(PG.server("iad"), PG.server("lhr")));
        env.put("REPLICA_PORT", Integer.toString(replica.port()));
        proxy = ProxyFixture.start(HealthTesting.yaml(HealthTesting.TWO_BACKENDS + """
                  - { name: iad-r, region: iad, host: 127.0.0.1, port: "${REPLICA_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                  - { name: iad-r-as-configured, region: iad, host: 127.0.0.1, port: "${REPLICA_PORT}", role: replica, user: postgres, password: "${PGPASS}" }
                """), env);
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.health")) {
            HealthTesting.awaitRoles(proxy, Map.of("iad-r", BackendRole.REPLICA, "iad-r-as-configured", BackendRole.REPLICA));
            replica.promote();
            HealthTesting.awaitRoles(proxy, Map.of("iad-r", BackendRole.PRIMARY));
            assertThat(health().health("iad-r-as-configured").role()).as("a configured role stays")
                    .isEqualTo(BackendRole.REPLICA);
            Await.until(HealthTesting.WAIT, () -> !log.matching(Level.WARN, "iad-r-as-configured").isEmpty(),
                    () -> "no warning about the configured role");
            HealthTesting.letChecksRun(3);
            assertThat(log.matching(Level.INFO, "backend iad-r (iad) changed role: replica -> primary")).hasSize(1);
            assertThat(log.matching(Level.WARN, "is configured as replica but pg_is_in_recovery() says primary"))
                    .hasSize(1);
        }
        assertThat(AdminHttp.get(proxy.adminPort(), "/routes").body()).contains("\"role\" : \"primary\"");
        List<String> roles = health().statuses().stream().map(s -> s.name() + "=" + s.health().role()).toList();
        assertThat(roles).containsExactly("iad-1=PRIMARY", "lhr-1=PRIMARY", "iad-r=PRIMARY", "iad-r-as-configured=REPLICA");
    }

    @Test
    void aReloadKeepsWhatIsKnownChecksWhatIsNewAndForgetsWhatIsGone() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        PG.server("lhr").kill();
        Await.until(HealthTesting.WAIT, () -> !health().health("lhr-1").up(), () -> "lhr-1 still up: " + health());
        String withIad2 = HealthTesting.TWO_BACKENDS + """
                  - { name: iad-2, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                """;
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.health")) {
            reload(withIad2, HealthTesting.INTERVAL);
            assertThat(health().health("lhr-1").up()).as("a down backend is not reset by a reload").isFalse();
            HealthTesting.awaitRoles(proxy, Map.of("iad-2", BackendRole.PRIMARY, "iad-1", BackendRole.PRIMARY));

            reload(withIad2, HealthTesting.INTERVAL.plusMillis(50));
            assertThat(health().status("lhr-1").orElseThrow().state()).isEqualTo(CheckState.DOWN);
            HealthTesting.letChecksRun(4);
            assertThat(health().status("lhr-1").orElseThrow().state()).isEqualTo(CheckState.DOWN);
            assertThat(health().health("iad-1")).satisfies(h -> {
                assertThat(h.up()).isTrue();
                assertThat(h.role()).isEqualTo(BackendRole.PRIMARY);
            });
            assertThat(log.matching(Level.INFO, "lhr-1")).as("nothing changed for lhr-1").isEmpty();
            assertThat(log.matching(Level.INFO, "iad-1")).as("nothing changed for iad-1").isEmpty();

            reload(HealthTesting.TWO_BACKENDS, HealthTesting.INTERVAL);
            assertThat(health().status("iad-2")).isEmpty();
            HealthTesting.letChecksRun(3);
            assertThat(health().status("iad-2")).as("a removed backend's checker says nothing more").isEmpty();
            assertThat(health().statuses()).extracting(BackendStatus::name).containsExactly("iad-1", "lhr-1");
        }
    }

    private void reload(String backends, Duration interval) throws Exception {
        Map<String, String> env = HealthTesting.env(PG.server("iad"), PG.server("lhr"));
        env.put("PROXY_PORT", Integer.toString(proxy.port()));
        env.put("ADMIN_PORT", Integer.toString(proxy.adminPort()));
        env.put("INTERVAL", interval.toMillis() + "ms");
        proxy.server().apply(ConfigLoader.parse(HealthTesting.yaml(backends), env, Path.of(".")));
    }

    @Test
    void aSessionLostMidQueryGetsAFatalErrorAtOnceAndOthersCarryOn() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        PgServer iad = PG.server("iad");
        try (Connection driver = proxy.connect("postgres", "postgres", null);
             RawClient wire = HealthTesting.session(proxy, "postgres");
             Connection elsewhere = proxy.connect("far", "postgres", null)) {
            CompletableFuture<SQLException> sleeping = CompletableFuture.supplyAsync(() -> sleep(driver));
            wire.send(RawClient.query("SELECT pg_sleep(60)"));
            HealthTesting.awaitActive(iad, "SELECT pg_sleep(60)", 2);

            long before = System.nanoTime();
            iad.kill();
            RawClient.Message error = wire.readUntil('E');
            SQLException thrown = sleeping.get(10, TimeUnit.SECONDS);
            LOG.info("sessions lost mid-query told {} ms after the SIGKILL began", (System.nanoTime() - before) / 1_000_000);
            assertThat(error.fields()).containsEntry('S', "FATAL");
            assertThat(error.fields().get('C')).isIn("08006", "57P01");
            assertThat(wire.closedByServer()).isTrue();
            assertThat((Throwable) thrown).as("the driver's query failed").isNotNull();
            assertThat(thrown.getSQLState()).isIn("08006", "57P01");

            try (Statement s = elsewhere.createStatement(); ResultSet rs = s.executeQuery("SELECT 'still here'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
        }
    }

    private static SQLException sleep(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(60)");
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    @Test
    void sessionsLostMidCopyAreToldAndClosedAtOnce() throws Exception {
        startProxy(HealthTesting.INTERVAL);
        PgServer iad = PG.server("iad");
        try (RawClient copyIn = HealthTesting.session(proxy, "postgres");
             RawClient copyOut = HealthTesting.session(proxy, "postgres")) {
            copyIn.send(RawClient.query("CREATE TEMP TABLE t (n int)"));
            copyIn.readUntil('Z');
            copyIn.send(RawClient.query("COPY t FROM STDIN"));
            copyIn.readUntil('G');
            copyIn.send(HealthTesting.copyData("1\n2\n3\n"));
            copyOut.send(RawClient.query("COPY (SELECT repeat('x', 1000), pg_sleep(0.01) "
                    + "FROM generate_series(1, 100000)) TO STDOUT"));
            copyOut.readUntil('d');
            HealthTesting.awaitActive(iad, "COPY%", 2);

            long before = System.nanoTime();
            iad.kill();
            // Into the server: nothing was in flight towards the client, so it is told why.
            RawClient.Message error = copyIn.readUntil('E');
            assertThat(error.fields()).containsEntry('S', "FATAL");
            assertThat(error.fields().get('C')).isIn("08006", "57P01");
            assertThat(copyIn.closedByServer()).isTrue();
            // Out of the server: the stream may stop inside a row, where no error can be
            // inserted; either way it ends now instead of hanging.
            String end = HealthTesting.drain(copyOut);
            LOG.info("COPY sessions ended {} ms after the SIGKILL began ({})", (System.nanoTime() - before) / 1_000_000, end);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
