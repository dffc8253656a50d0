package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RESET ALL, DISCARD ALL, RESET x and SET x TO DEFAULT in transaction mode return a client's
 * settings to what its own startup packet said (application_name, options' search_path), as
 * straight against PostgreSQL, also when the next transaction runs on another backend
 * connection, and also with {@code pool.min_idle} warm connections around. Real psql and pgjdbc,
 * each answer compared with the same client's answer from PostgreSQL directly.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionResetIntegrationTests {
    private static final String[] RESETS = {"RESET ALL", "DISCARD ALL", "RESET application_name",
        "SET application_name TO DEFAULT"};

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;
    static ProxyFixture warm;

    @BeforeAll
    static void start() throws Exception {
        proxy = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 2 }");
        warm = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 6, min_idle: 2 }");
    }

    @AfterAll
    static void stop() {
        for (ProxyFixture p : new ProxyFixture[] {proxy, warm}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /**
     * Each run has another application_name, so another pool: on the proxy with min_idle, once
     * the first run taught it the (backend, user, database) pool, warm plain connections wait
     * there, and a pool taking one would make RESET return to the server's default ('').
     */
    @Test
    void psqlGetsItsStartupApplicationNameBackAfterEveryKindOfReset() throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-c", "SELECT source FROM pg_settings WHERE name = 'application_name'"));
        for (String reset : RESETS) {
            args.addAll(List.of("-c", "SET application_name = 'changed'", "-c", reset, "-c", "SHOW application_name"));
        }
        String[] script = args.toArray(String[]::new);
        for (int run = 1; run <= 3; run++) {
            PgTools psql = PgTools.local().withEnv("PGAPPNAME", "psql-app-" + run);
            ProcessResult direct = psql.psqlRaw(PG.server("iad").endpoint(), "postgres", PgServer.SUPERUSER_PASSWORD,
                    "postgres", script);
            assertThat(direct.stdout()).as(direct.stderr()).startsWith("client\n").contains("psql-app-" + run);
            for (ProxyFixture p : new ProxyFixture[] {proxy, warm}) {
                ProcessResult pooled = psql.psqlRaw(new PgEndpoint("127.0.0.1", p.port()), "postgres", null, "postgres", script);
                assertThat(pooled.stdout()).as(pooled.stderr()).isEqualTo(direct.stdout());
            }
            Thread.sleep(1500); // min_idle tops a pool up once a second
        }
    }

    /**
     * The reset runs on one connection, the next transaction on the other: a second client B
     * holds one connection in a transaction while A resets on the other, then a third client D
     * takes A's connection (the only idle one) and B lets its own go, so A's next transaction
     * must run there. Every client has the same startup packet, so they share one pool of 2.
     */
    @Test
    void pgjdbcGetsItsStartupValuesBackAlsoOnAnotherConnection() throws Exception {
        for (String reset : RESETS) {
            String expected = afterReset(PG.server("iad").port(), PgServer.SUPERUSER_PASSWORD, reset, false);
            assertThat(expected).startsWith("jdbc-app|");
            assertThat(afterReset(proxy.port(), null, reset, true)).as(reset).isEqualTo(expected);
        }
    }

    /** pgjdbc sending application_name and options in its startup packet (assumeMinServerVersion). */
    private static Connection jdbc(int port, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres"
                + (password == null ? "" : "&password=" + password)
                + "&sslmode=disable&ApplicationName=jdbc-app&assumeMinServerVersion=10"
                + "&options=-c%20search_path%3Dapp_schema,public");
    }

    /** A's application_name, search_path and statement_timeout after {@code reset}; {@code moved}: check it ran elsewhere. */
    private static String afterReset(int port, String password, String reset, boolean moved) throws Exception {
        try (Connection a = jdbc(port, password); Connection b = jdbc(port, password); Connection d = jdbc(port, password)) {
            run(b, "SET application_name = 'b-app'");
            b.setAutoCommit(false);
            run(b, "SELECT 1");
            run(a, "SET application_name = 'changed'");
            run(a, "SET search_path = pg_catalog");
            run(a, "SET statement_timeout = '7s'");
            run(a, reset);
            d.setAutoCommit(false);
            String resetOn = one(d, "SELECT pg_backend_pid()::text");
            b.commit();
            String answer = one(a, "SELECT current_setting('application_name') || '|' || current_setting('search_path')"
                    + " || '|' || current_setting('statement_timeout')");
            if (moved) {
                assertThat(one(a, "SELECT pg_backend_pid()::text")).as("A's next transaction ran on another connection")
                        .isNotEqualTo(resetOn);
            }
            d.commit();
            return answer;
        }
    }

    @Test
    void aCachedAdvisoryLockStatementRunAgainPinsAgain() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port()
                + "/postgres?user=postgres&sslmode=disable&prepareThreshold=1");
             Connection b = jdbc(proxy.port(), null)) {
            double before = pins();
            for (int round = 0; round < 2; round++) {
                try (PreparedStatement lock = a.prepareStatement("SELECT pg_advisory_lock(?)")) {
                    lock.setInt(1, 4242);
                    lock.execute(); // the second round: pgjdbc's cached statement, a Bind without a Parse
                }
                for (int i = 0; i < 4; i++) {
                    run(b, "SELECT 1");
                }
                assertThat(one(a, "SELECT pg_advisory_unlock(4242)::text")).as("the lock is on A's connection").isEqualTo("true");
                run(a, "SELECT pg_advisory_unlock_all()");
            }
            assertThat(pins() - before).as("advisory_lock pins").isEqualTo(2.0);
        }
    }

    private static double pins() {
        return AdminHttp.get(proxy.adminPort(), "/metrics").body().lines()
                .filter(l -> l.startsWith("meridian_pool_pins_total{reason=\"advisory_lock\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
