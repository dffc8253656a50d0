package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.localpg.PgBinaries;
import dev.meridian.proxy.metrics.Exposition;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pool.min_idle} against a real PostgreSQL standing in for a far region (lhr, seen from
 * an instance in iad): connections are logged in before any client comes, survive idle_timeout,
 * are taken by real pgjdbc and psql clients, and come back after being killed, after an outage
 * and for pools clients taught the proxy, passthrough users included.
 *
 * <p>The proxy runs two event loops ({@code -Dmeridian.io.threads=2} while it starts), so
 * {@code min_idle: 2} is one warm connection per loop and whichever loop a client lands on has one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MinIdleIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("lhr").build();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IO_THREADS = "meridian.io.threads";

    /** {@code @DB@}: the literal database rule this test's proxy keeps warm (none: {@link #NO_LITERAL}). */
    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: @AUTH@
            health: { interval: 500ms, timeout: 400ms, rise: 1, fall: 1, grace_period: 0s }
            pool: { max_per_backend: 20, idle_timeout: 1s, min_idle: 2 }
            backends:
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}"@USER@ }
            databases:
              @DB@: { regions: [lhr] }
              "*": { regions: [lhr] }
            """;
    static final String OWN_USER = ", user: postgres, password: \"${PGPASS}\"";
    static final String TRUST = "{ method: trust }";

    static Path usersFile;
    ProxyFixture proxy;

    @BeforeAll
    static void createDatabasesAndAlice() throws IOException {
        PgServer lhr = PG.server("lhr");
        for (String db : new String[] {"warm_start", "warm_first", "warm_refill", "warm_outage", "learned_db",
                                       "reload_a", "reload_b", "alice_db"}) {
            lhr.execute("postgres", "CREATE DATABASE " + db);
        }
        lhr.execute("postgres", "CREATE ROLE alice LOGIN PASSWORD 'alice-secret'");
        usersFile = Files.createTempFile("meridian-min-idle", ".txt");
        Files.writeString(usersFile, "\"alice\" \"" + lhr.query("postgres",
                "SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'") + "\"\n");
    }

    @AfterAll
    static void removeUsersFile() throws IOException {
        if (usersFile != null) {
            Files.deleteIfExists(usersFile);
        }
    }

    @AfterEach
    void stopProxy() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
    }

    static final String NO_LITERAL = null;

    static String config(String database, String auth, String user) {
        String yaml = database == null ? CONFIG.replace("  @DB@: { regions: [lhr] }\n", "") : CONFIG.replace("@DB@", database);
        return yaml.replace("@AUTH@", auth).replace("@USER@", user);
    }

    /** Starts a proxy with two event loops; {@code lhrPort} is where its one backend is. */
    private ProxyFixture start(String yaml, int lhrPort) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("LHR_PORT", Integer.toString(lhrPort),
                "PGPASS", PgServer.SUPERUSER_PASSWORD, "USERS", usersFile.toString()));
        String before = System.getProperty(IO_THREADS);
        System.setProperty(IO_THREADS, "2");
        try {
            proxy = ProxyFixture.start(yaml, env);
        } finally {
            if (before == null) {
                System.clearProperty(IO_THREADS);
            } else {
                System.setProperty(IO_THREADS, before);
            }
        }
        return proxy;
    }

    private ProxyFixture start(String database) throws Exception {
        return start(config(database, TRUST, OWN_USER), PG.server("lhr").port());
    }

    /** Pids of the plain warm connections (logged in with no application_name) to {@code db}. */
    private static Set<String> warm(String db) {
        return pids("datname = '" + db + "' AND application_name = ''");
    }

    private static Set<String> pids(String where) {
        String text = PG.server("lhr").query("postgres", "SELECT coalesce(string_agg(pid::text, ',' ORDER BY pid), '')"
                + " FROM pg_stat_activity WHERE backend_type = 'client backend' AND " + where);
        return text.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(text.split(",")));
    }

    private static Set<String> awaitWarm(String db, int count) {
        Await.until(WAIT, () -> warm(db).size() == count, () -> "warm connections to " + db + ": " + warm(db));
        return warm(db);
    }

    private Exposition metrics() {
        return Exposition.parse(AdminHttp.get(proxy.adminPort(), "/metrics").body());
    }

    private double idleGauge() {
        return metrics().value("meridian_pool_connections", Map.of("backend", "lhr-1", "state", "idle"));
    }

    private static String one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void preWarmsMinIdleConnectionsAtStartAndKeepsThemPastIdleTimeout() throws Exception {
        start("warm_start");
        Set<String> first = awaitWarm("warm_start", 2);
        Await.until(WAIT, () -> idleGauge() == 2, () -> "idle gauge " + idleGauge());
        assertThat(pids("datname = 'warm_start'")).as("nothing but the warm ones").isEqualTo(first);

        Thread.sleep(2500); // more than twice pool.idle_timeout
        assertThat(warm("warm_start")).as("the same connections, spared by idle expiry").isEqualTo(first);
        assertThat(idleGauge()).isEqualTo(2);
        assertThat(pids("datname = 'learned_db'")).as("no literal rule, no client: nothing warm").isEmpty();
    }

    @Test
    void theFirstPgjdbcAndPsqlClientsTakeWarmConnectionsWithTheirOwnParameters() throws Exception {
        start("warm_first");
        Set<String> warm = awaitWarm("warm_first", 2);
        try (Connection c = proxy.connect("warm_first", "postgres", null)) {
            assertThat(one(c, "SELECT pg_backend_pid()")).isIn(warm);
            assertThat(one(c, "SHOW application_name")).isEqualTo("PostgreSQL JDBC Driver");
            assertThat(one(c, "SHOW DateStyle")).isEqualTo("ISO, MDY");

            // Topped up while the session holds its connection: two idle again.
            Set<String> nowWarm = awaitWarm("warm_first", 2);
            ProcessBuilder psql = new ProcessBuilder(PgBinaries.require().psql().toString(), "-X", "-At",
                    "-h", "127.0.0.1", "-p", Integer.toString(proxy.port()), "-U", "postgres", "-d", "warm_first",
                    "-c", "SELECT pg_backend_pid() || ' ' || current_setting('application_name')");
            psql.environment().put("PGAPPNAME", "psql-first");
            Process p = psql.redirectErrorStream(true).start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(out.split(" ")[0]).as(out).isIn(nowWarm);
            assertThat(out).endsWith(" psql-first");
        }
        Exposition m = metrics();
        assertThat(m.value("meridian_backend_connect_seconds_count", Map.of("backend", "lhr-1", "pooled", "true")))
                .isEqualTo(2);
        assertThat(m.series("meridian_backend_connect_seconds_count").stream()
                .filter(s -> "false".equals(s.labels().get("pooled"))).mapToDouble(Exposition.Sample::value).sum())
                .as("no client waited for a login").isZero();
        // Back from the sessions (reset to plain), the surplus expires; min_idle stays.
        Await.until(WAIT, () -> pids("datname = 'warm_first'").size() == 2,
                () -> "connections to warm_first: " + pids("datname = 'warm_first'"));
        assertThat(warm("warm_first")).hasSize(2);
    }

    @Test
    void refillsAfterTheWarmConnectionsAreKilled() throws Exception {
        start("warm_refill");
        Set<String> killed = awaitWarm("warm_refill", 2);
        PG.server("lhr").execute("postgres",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'warm_refill'");
        Await.until(WAIT, () -> {
            Set<String> now = warm("warm_refill");
            return now.size() == 2 && now.stream().noneMatch(killed::contains);
        }, () -> "warm connections to warm_refill: " + warm("warm_refill") + ", killed " + killed);
        Await.until(WAIT, () -> idleGauge() == 2, () -> "idle gauge " + idleGauge());
    }

    @Test
    void afterAnOutageRefillsOnceHealthSaysTheBackendIsUp() throws Exception {
        start("warm_outage");
        awaitWarm("warm_outage", 2);
        PgServer lhr = PG.server("lhr");
        lhr.stop();
        try {
            Await.until(WAIT, () -> !proxy.server().context().health().health("lhr-1").up(), () -> "lhr-1 still up");
            Await.until(WAIT, () -> idleGauge() == 0, () -> "idle gauge " + idleGauge());
        } finally {
            lhr.start();
        }
        awaitWarm("warm_outage", 2);
        Await.until(WAIT, () -> idleGauge() == 2, () -> "idle gauge " + idleGauge());
    }

    @Test
    void aBackendThatKeepsFailingLoginsIsRetriedWithBackoffNotInALoop() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket hangUp = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!hangUp.isClosed()) {
                    try {
                        Socket s = hangUp.accept();
                        accepted.incrementAndGet();
                        s.close();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hang-up-backend");
            acceptor.setDaemon(true);
            acceptor.start();
            // Health would take it out at once; a long grace period keeps it "up" so only backoff holds min_idle.
            String yaml = config("warm_nowhere", TRUST, OWN_USER)
                    .replace("interval: 500ms, timeout: 400ms, rise: 1, fall: 1, grace_period: 0s",
                            "interval: 1h, timeout: 1s, grace_period: 1h");
            try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.pool")) {
                start(yaml, hangUp.getLocalPort());
                Thread.sleep(8000);
                assertThat(proxy.server().context().health().health("lhr-1").up()).isTrue();
                // Two logins at start, two after 2 s, the next after 8 s (plus a health probe);
                // without backoff the once-a-second top-up alone would make 16.
                assertThat(accepted.get()).isBetween(2, 8);
                assertThat(log.matching(ch.qos.logback.classic.Level.INFO, "min_idle: login to backend lhr-1")).hasSize(1);
            }
        }
    }

    @Test
    void poolsClientsUseAreKeptWarmFromThenOn() throws Exception {
        start(config(NO_LITERAL, TRUST, OWN_USER), PG.server("lhr").port());
        Thread.sleep(1500);
        assertThat(pids("datname = 'learned_db'")).isEmpty();
        try (Connection c = proxy.connect("learned_db", "postgres", null)) {
            assertThat(one(c, "SELECT 1")).isEqualTo("1");
        }
        awaitWarm("learned_db", 2);
        // The client's own (non-plain) connection expires with idle_timeout; the warm two stay.
        Await.until(WAIT, () -> pids("datname = 'learned_db'").size() == 2,
                () -> "connections to learned_db: " + pids("datname = 'learned_db'"));
    }

    @Test
    void aReloadChangesWhichPoolsAreKeptWarm() throws Exception {
        start("reload_a");
        awaitWarm("reload_a", 2);
        proxy.server().apply(ConfigLoader.parse(config("reload_b", TRUST, OWN_USER).replace("${PROXY_PORT}",
                        Integer.toString(proxy.port())).replace("${ADMIN_PORT}", Integer.toString(proxy.adminPort())),
                Map.of("LHR_PORT", Integer.toString(PG.server("lhr").port()), "PGPASS", PgServer.SUPERUSER_PASSWORD),
                Path.of(".")));
        awaitWarm("reload_b", 2);
        Await.until(WAIT, () -> pids("datname = 'reload_a'").isEmpty(),
                () -> "reload_a no longer kept warm, so its connections expire: " + pids("datname = 'reload_a'"));
    }

    @Test
    void aPassthroughUserIsKeptWarmWithTheCredentialsOfItsLastLoginUntilTheyStopWorking() throws Exception {
        start(config(NO_LITERAL, "{ users_file: \"${USERS}\", method: scram-sha-256 }", ""),
                PG.server("lhr").port());
        try (Connection c = proxy.connect("alice_db", "alice", "alice-secret")) {
            assertThat(one(c, "SELECT current_user")).isEqualTo("alice");
        }
        Set<String> warm = awaitWarm("alice_db", 2);
        assertThat(pids("usename = 'alice' AND application_name = ''")).isEqualTo(warm);

        // The password changes on the server: the kept SCRAM keys no longer log in, and the pool is let go.
        PG.server("lhr").execute("postgres", "ALTER ROLE alice PASSWORD 'changed-secret'");
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.pool")) {
            PG.server("lhr").execute("postgres",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'alice'");
            Await.until(WAIT, () -> !log.matching(ch.qos.logback.classic.Level.INFO, "no longer keeping").isEmpty(),
                    () -> "the alice pool is let go");
            Thread.sleep(3000);
            assertThat(pids("usename = 'alice'")).isEmpty();
        } finally {
            PG.server("lhr").execute("postgres", "ALTER ROLE alice PASSWORD 'alice-secret'");
        }
    }

}
