package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 with pgjdbc and {@code prepareThreshold=1} (every PreparedStatement a server-side
 * named statement from its first use): 500 clients, all connected at once, through transaction
 * mode over at most 10 backend connections. Zero errors, and each client's results equal to
 * the same work done straight against PostgreSQL.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PgjdbcTransactionIntegrationTests {
    static final int CLIENTS = 500;
    static final int POOL = 10;

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;
    static Connection direct;

    @BeforeAll
    static void start() throws Exception {
        // A generous health timeout: 500 clients and PostgreSQL share two loaded cores.
        proxy = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: " + POOL + " }",
                "health: { interval: 10s, timeout: 10s }");
        direct = PG.server("iad").connect("postgres");
    }

    @AfterAll
    static void stop() throws SQLException {
        if (direct != null) {
            try (Statement s = direct.createStatement()) {
                s.execute("DROP TABLE IF EXISTS jdbc_txn");
            }
            direct.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void fiveHundredClientsWithNamedStatementsOverTenConnections() throws Exception {
        freshTable();
        List<List<String>> expected = runAll(PG.server("iad").jdbcUrl("postgres"), PgServer.SUPERUSER_PASSWORD, 50);
        freshTable();
        List<List<String>> through;
        BackendConnectionSampler sampler = new BackendConnectionSampler(PG.server("iad"), BackendConnectionSampler.pid(direct));
        try {
            through = runAll(proxy.jdbcUrl("postgres"), "", CLIENTS);
        } finally {
            assertThat(sampler.stop()).as("backend connections open at once").isBetween(1, POOL);
        }
        assertThat(through).isEqualTo(expected);
        try (Statement s = direct.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM jdbc_txn")) {
            rs.next();
            assertThat(rs.getInt(1)).as("committed rows").isEqualTo(2 * CLIENTS);
        }
    }

    private static void freshTable() throws SQLException {
        try (Statement s = direct.createStatement()) {
            s.execute("DROP TABLE IF EXISTS jdbc_txn");
            s.execute("CREATE TABLE jdbc_txn (client int, n int)");
        }
    }

    /** Every client's results; with {@code concurrency == CLIENTS} all connect before any starts. */
    private static List<List<String>> runAll(String url, String password, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        CountDownLatch connected = new CountDownLatch(concurrency == CLIENTS ? CLIENTS : 0);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                futures.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url + "?prepareThreshold=1&sslmode=disable"
                            + "&socketTimeout=120&user=postgres&password=" + password)) {
                        connected.countDown();
                        connected.await();
                        return work(c, client);
                    } finally {
                        connected.countDown(); // a client that failed to connect must not hold the others
                    }
                }));
            }
            List<List<String>> results = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> work(Connection c, int client) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = 'jdbc" + client + "'");
        }
        c.setAutoCommit(false);
        for (int k = 1; k <= 3; k++) {
            out.add(one(c, "INSERT INTO jdbc_txn VALUES (?, ?) RETURNING n", client, k));
            out.add(one(c, "SELECT sum(n) || '/' || count(*) FROM jdbc_txn WHERE client = ? AND n > ?", client, 0));
            if (k == 2) {
                c.rollback();
            } else {
                c.commit();
            }
        }
        c.setAutoCommit(true);
        out.add(one(c, "SELECT ?::int * ?::int", client, 2));
        out.add(one(c, "SELECT current_setting('application_name') || ? || ?", client, 1));
        try {
            out.add(one(c, "SELECT ?::int / ?::int", client, 0));
        } catch (SQLException e) {
            out.add(e.getSQLState());
        }
        out.add(one(c, "SELECT sum(n) || '/' || count(*) FROM jdbc_txn WHERE client = ? AND n > ?", client, 0));
        return out;
    }

    private static String one(Connection c, String sql, int a, int b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, a);
            ps.setInt(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
