package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code psql -d meridian} (and pgjdbc in simple-query mode): the admin console, as PgBouncer users know it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminConsoleIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}", users: [ops] }
            region: iad
            auth: { method: trust }
            pool: { idle_timeout: 5m }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              orders: { regions: [lhr] }
              "*": { regions: [iad] }
            """;

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE DATABASE orders");
        proxy = ProxyFixture.start(CONFIG, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Whatever a test paused or suspended is lifted (an error when nothing is, which is fine). */
    @AfterEach
    void resumeAll() {
        console("ops", "RESUME");
    }

    private static ProcessResult console(String user, String command) {
        return PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), user, null, "meridian",
                "-v", "VERBOSITY=verbose", "-c", command);
    }

    /** One SHOW through pgjdbc: rows as column name → value. */
    private static List<Map<String, String>> show(String command) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "ops");
        p.setProperty("sslmode", "disable");
        p.setProperty("preferQueryMode", "simple");
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl("meridian"), p);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(command)) {
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static CompletableFuture<Void> async(SqlRunnable r) {
        return CompletableFuture.runAsync(() -> {
            try {
                r.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private interface SqlRunnable {
        void run() throws Exception;
    }

    @Test
    void showBackendsListsEveryBackendWithItsState() {
        ProcessResult r = console("ops", "SHOW BACKENDS");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("iad-1|iad|127.0.0.1|" + PG.server("iad").port())
                .contains("lhr-1|lhr|127.0.0.1|" + PG.server("lhr").port()).contains("|up|");
    }

    @Test
    void showClientsPoolsServersAndUsersSeeALiveSession() throws Exception {
        try (Connection c = proxy.connect("orders", "postgres", null)) {
            c.createStatement().execute("SELECT 1");
            assertThat(console("ops", "show clients;").stdout()).contains("C|postgres|orders|active|127.0.0.1|")
                    .contains("|lhr-1|lhr|");
            assertThat(show("SHOW POOLS")).anySatisfy(pool -> assertThat(pool)
                    .containsEntry("database", "orders").containsEntry("user", "postgres")
                    .containsEntry("backend", "lhr-1").containsEntry("cl_active", "1")
                    .containsEntry("cl_waiting", "0").containsEntry("sv_active", "1")
                    .containsEntry("maxwait", "0").containsEntry("pool_mode", "session"));
            assertThat(console("ops", "SHOW SERVERS").stdout()).contains("S|postgres|orders|active|127.0.0.1|"
                    + PG.server("lhr").port() + "|");
            assertThat(console("ops", "SHOW USERS").stdout()).contains("postgres|session|");
        }
    }

    @Test
    void showConfigIsInTheConfigurationsOwnSyntaxWithoutPasswords() {
        ProcessResult config = console("ops", "SHOW CONFIG");
        assertThat(config.exitCode()).isZero();
        assertThat(config.stdout()).contains("health.interval|2s").contains("pool.idle_timeout|5m")
                .contains("backends[0]|{ name: iad-1, region: iad, host: 127.0.0.1").contains("password: \"****\"")
                .doesNotContain("PT").doesNotContain("Config[").doesNotContain(PgServer.SUPERUSER_PASSWORD);
        assertThat(console("ops", "SHOW ROUTES").stdout()).contains("orders|lhr|nearest||");
    }

    @Test
    void showVersionListsDatabasesAndHelp() {
        assertThat(console("ops", "SHOW VERSION").stdout()).startsWith("Meridian ");
        assertThat(console("ops", "SHOW LISTS").stdout()).contains("databases|2").contains("used_clients|");
        assertThat(console("ops", "SHOW DATABASES").stdout()).contains("orders|lhr|nearest||100|0|session|");
        assertThat(console("ops", "SHOW HELP").stdout()).contains("SHOW STATS_TOTALS").contains("KILL database");
    }

    @Test
    void statsCountQueriesTransactionsBytesAndWaits() throws Exception {
        try (Connection c = proxy.connect("postgres", "postgres", null)) {
            for (int i = 0; i < 5; i++) {
                c.createStatement().execute("SELECT " + i);
            }
        }
        Map<String, String> totals = show("SHOW STATS_TOTALS").stream()
                .filter(r -> r.get("database").equals("postgres")).findFirst().orElseThrow();
        assertThat(Long.parseLong(totals.get("query_count"))).isGreaterThanOrEqualTo(5);
        assertThat(Long.parseLong(totals.get("xact_count"))).isGreaterThanOrEqualTo(5);
        assertThat(Long.parseLong(totals.get("bytes_received"))).isPositive();
        assertThat(Long.parseLong(totals.get("bytes_sent"))).isPositive();
        assertThat(Long.parseLong(totals.get("query_time"))).isPositive();
        assertThat(Long.parseLong(totals.get("wait_time"))).isPositive();
        Map<String, String> stats = show("SHOW STATS").stream()
                .filter(r -> r.get("database").equals("postgres")).findFirst().orElseThrow();
        assertThat(stats).containsKeys("total_xact_count", "total_query_count", "total_received", "total_sent",
                "total_wait_time", "avg_query_count", "avg_query_time", "avg_wait_time");
        assertThat(Long.parseLong(stats.get("avg_query_time"))).isPositive();
    }

    @Test
    void pauseHoldsNewSessionsVisiblyUntilResume() throws Exception {
        assertThat(console("ops", "PAUSE orders").exitCode()).isZero();
        long start = System.nanoTime();
        CompletableFuture<Void> held = async(() -> {
            try (Connection c = proxy.connect("orders", "postgres", null)) {
                c.createStatement().execute("SELECT 1");
            }
        });
        Thread.sleep(1200);
        assertThat(held).isNotDone();
        assertThat(console("ops", "SHOW ROUTES").stdout()).contains("orders|lhr|nearest||paused");
        assertThat(console("ops", "SHOW CLIENTS").stdout()).contains("C|postgres|orders|waiting|127.0.0.1|");
        assertThat(show("SHOW POOLS")).anySatisfy(pool -> {
            assertThat(pool).containsEntry("database", "orders").containsEntry("cl_waiting", "1");
            assertThat(Integer.parseInt(pool.get("maxwait"))).as("waiting since at least 1.2 s").isPositive();
        });
        assertThat(console("ops", "RESUME orders").exitCode()).isZero();
        held.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1200);
    }

    @Test
    void pauseAnswersOnlyWhenTheDatabasesActiveSessionsAreDone() throws Exception {
        Connection active = proxy.connect("orders", "postgres", null);
        active.createStatement().execute("SELECT 1");
        CompletableFuture<ProcessResult> pause = CompletableFuture.supplyAsync(() -> console("ops", "PAUSE orders"));
        Thread.sleep(1000);
        assertThat(pause).as("PAUSE waits for the active session").isNotDone();
        assertThat(console("ops", "SHOW ROUTES").stdout()).contains("orders|lhr|nearest||paused");
        active.close();
        ProcessResult r = pause.get(10, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    @Test
    void pausingAnotherDatabaseDoesNotWaitForThisOne() throws Exception {
        try (Connection active = proxy.connect("orders", "postgres", null)) {
            active.createStatement().execute("SELECT 1");
            ProcessResult r = console("ops", "PAUSE \"*\"");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(console("ops", "SHOW ROUTES").stdout()).contains("*|iad|nearest||paused");
        }
    }

    @Test
    void unknownDatabasesAndMisusedCommandsAreErrorsWithSqlstate() {
        for (String command : List.of("PAUSE nosuchdb", "RESUME nosuchdb", "KILL nosuchdb", "RECONNECT nosuchdb")) {
            ProcessResult r = console("ops", command);
            assertThat(r.exitCode()).as(command).isNotZero();
            assertThat(r.stderr()).as(command).contains("3D000").contains("no such database: nosuchdb");
        }
        ProcessResult notPaused = console("ops", "RESUME orders");
        assertThat(notPaused.stderr()).contains("55000").contains("database orders is not paused");
        assertThat(console("ops", "KILL").stderr()).contains("42601").contains("KILL needs a database");
        assertThat(console("ops", "SUSPEND now").stderr()).contains("42601").contains("unknown admin command");
    }

    @Test
    void killEndsTheDatabasesSessionsAndHoldsNewOnesUntilResume() throws Exception {
        Connection victim = proxy.connect("orders", "postgres", null);
        victim.createStatement().execute("SELECT 1");
        assertThat(console("ops", "KILL orders").exitCode()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> victim.createStatement().execute("SELECT 1"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("57P01", "08006", "08003"));
        victim.close();
        CompletableFuture<Void> held = async(() -> {
            try (Connection c = proxy.connect("orders", "postgres", null)) {
                c.createStatement().execute("SELECT 1");
            }
        });
        Thread.sleep(700);
        assertThat(held).isNotDone();
        assertThat(console("ops", "RESUME orders").exitCode()).isZero();
        held.get(10, TimeUnit.SECONDS);
    }

    @Test
    void reconnectClosesTheDatabasesIdleServerConnections() throws Exception {
        try (Connection c = proxy.connect("orders", "postgres", null)) {
            c.createStatement().execute("SELECT 1");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!console("ops", "SHOW SERVERS").stdout().contains("|orders|idle|") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(console("ops", "SHOW SERVERS").stdout()).contains("|orders|idle|");
        assertThat(console("ops", "RECONNECT orders").exitCode()).isZero();
        while (console("ops", "SHOW SERVERS").stdout().contains("|orders|") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(console("ops", "SHOW SERVERS").stdout()).doesNotContain("|orders|");
    }

    @Test
    void suspendStopsReadingFromClientsUntilResume() throws Exception {
        try (Connection c = proxy.connect("orders", "postgres", null)) {
            c.createStatement().execute("SELECT 1");
            ProcessResult suspend = console("ops", "SUSPEND");
            assertThat(suspend.exitCode()).as(suspend.stderr()).isZero();
            CompletableFuture<Integer> query = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT 2")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            assertThat(query).as("the query waits in the socket").isNotDone();
            assertThat(console("ops", "RESUME").exitCode()).isZero();
            assertThat(query.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void onlyAdminUsersAndKnownCommands() {
        ProcessResult stranger = console("postgres", "SHOW BACKENDS");
        assertThat(stranger.exitCode()).isEqualTo(2);
        assertThat(stranger.stderr()).contains("may not use the admin console");
        ProcessResult unknown = console("ops", "DROP TABLE x");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("42601").contains("unknown admin command");
        ProcessResult reload = console("ops", "RELOAD");
        assertThat(reload.stderr()).contains("RELOAD needs the proxy to be started with a configuration file");
    }
}
