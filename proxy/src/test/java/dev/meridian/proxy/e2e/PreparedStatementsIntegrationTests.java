package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 * Protocol-level prepared statements in transaction mode with pgjdbc against a real server:
 * named statements follow each client to whichever connection runs its transaction, prepared
 * there lazily, and nobody is pinned for them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PreparedStatementsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture pair;
    static ProxyFixture four;
    static ProxyFixture tiny;
    static ProxyFixture off;

    @BeforeAll
    static void start() throws Exception {
        pair = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 2 }");
        four = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 4 }",
                "limits: { query_wait_timeout: 60s }");
        tiny = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 1, max_prepared_statements: 2 }");
        off = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 2, max_prepared_statements: 0 }");
    }

    @AfterAll
    static void stop() {
        for (ProxyFixture p : new ProxyFixture[] {pair, four, tiny, off}) {
            if (p != null) {
                p.close();
            }
        }
    }

    static Connection named(ProxyFixture p, int threshold) throws SQLException {
        return DriverManager.getConnection(p.jdbcUrl("postgres") + "?prepareThreshold=" + threshold
                + "&sslmode=disable", "postgres", "");
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aStatementPreparedOnOneConnectionRunsOnAnother() throws Exception {
        try (Connection client = named(pair, 1); Connection h1 = named(pair, 0); Connection h2 = named(pair, 0);
             PreparedStatement ps = client.prepareStatement("SELECT ?::int + 1, pg_backend_pid()")) {
            h1.setAutoCommit(false);
            h2.setAutoCommit(false);
            String x = one(h1, "SELECT pg_backend_pid()"); // h1 holds x: the client gets the other one
            String y = run(ps, 1);
            assertThat(y).isNotEqualTo(x);
            h1.commit();
            // someone holds y, x stays free for the client
            if (one(h2, "SELECT pg_backend_pid()").equals(x)) {
                assertThat(one(h1, "SELECT pg_backend_pid()")).isEqualTo(y);
                h2.commit();
            }
            assertThat(run(ps, 2)).as("the statement prepared on %s now runs on %s", y, x).isEqualTo(x);
            assertThat(run(ps, 3)).isEqualTo(x);
            h1.rollback();
            h2.rollback();
            assertThat(one(client, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'S\\_%'"))
                    .as("the client's own names never reach the server").isEqualTo("0");
        }
    }

    /** Runs the client's statement with {@code i}: checks the result, returns the backend pid. */
    private static String run(PreparedStatement ps, int i) throws SQLException {
        ps.setInt(1, i);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(i + 1);
            return rs.getString(2);
        }
    }

    @Test
    void hundredConcurrentClientsOverFourConnections() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int c = 0; c < 100; c++) {
                int client = c;
                runs.add(pool.submit(() -> runClient(client, client % 2 == 0 ? 1 : 5)));
            }
            for (Future<Integer> r : runs) {
                assertThat(r.get(150, TimeUnit.SECONDS)).isEqualTo(20);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int runClient(int client, int threshold) throws SQLException {
        int ok = 0;
        try (Connection c = named(four, threshold);
             PreparedStatement add = c.prepareStatement("SELECT ?::int + ?::int");
             PreparedStatement text = c.prepareStatement("SELECT repeat(?, 3)")) {
            for (int i = 0; i < 20; i++) {
                add.setInt(1, client);
                add.setInt(2, i);
                text.setString(1, "c" + client);
                try (ResultSet a = add.executeQuery(); ResultSet t = text.executeQuery()) {
                    a.next();
                    t.next();
                    if (a.getInt(1) == client + i && t.getString(1).equals(("c" + client).repeat(3))) {
                        ok++;
                    }
                }
            }
        }
        return ok;
    }

    @Test
    void fiveStatementsInRotationOverACapacityOfTwo() throws Exception {
        try (Connection c = named(tiny, 1)) {
            List<PreparedStatement> ps = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                ps.add(c.prepareStatement("SELECT ?::int * " + (k + 2)));
            }
            for (int round = 0; round < 6; round++) {
                for (int k = 0; k < 5; k++) {
                    ps.get(k).setInt(1, round);
                    try (ResultSet rs = ps.get(k).executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(round * (k + 2));
                    }
                }
            }
            assertThat(one(c, "SELECT count(*) FROM pg_prepared_statements")).isEqualTo("2");
            for (PreparedStatement p : ps) {
                p.close();
            }
        }
        assertThat(AdminHttp.get(tiny.adminPort(), "/metrics", null).body()).containsPattern("meridian_prepared_statements_total\\{outcome=\"evicted\"[^}]*\\} [1-9]");
    }

    @Test
    void anErrorInsideABatchSkipsTheRestAndTheClientCarriesOn() throws Exception {
        try (Connection c = named(pair, 1)) {
            c.setAutoCommit(false);
            try (PreparedStatement ok = c.prepareStatement("SELECT ?::int");
                 PreparedStatement bad = c.prepareStatement("SELECT 1 / ?::int")) {
                ok.setInt(1, 7);
                try (ResultSet rs = ok.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
                bad.setInt(1, 0);
                assertThatThrownBy(bad::executeQuery).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22012"));
                assertThatThrownBy(ok::executeQuery).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P02"));
                c.rollback();
                ok.setInt(1, 8);
                try (ResultSet rs = ok.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(8);
                }
                c.commit();
            }
        }
    }

    /**
     * DDL that changes a statement's result columns: PostgreSQL answers the next Bind with 0A000
     * "cached plan must not change result type". pgjdbc re-prepares and retries by itself; the
     * re-prepared statement must get a fresh plan on the server, not the stale one Meridian kept.
     */
    @Test
    void afterAlterTableTheClientsRePrepareGetsAFreshPlan() throws Exception {
        try (Connection ddl = named(pair, 0); Connection c = named(pair, 1)) {
            try (Statement st = ddl.createStatement()) {
                st.execute("DROP TABLE IF EXISTS prep_ddl");
                st.execute("CREATE TABLE prep_ddl (a int)");
                st.execute("INSERT INTO prep_ddl VALUES (1)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM prep_ddl")) {
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(1);
                }
                try (Statement st = ddl.createStatement()) {
                    st.execute("ALTER TABLE prep_ddl ADD COLUMN b text DEFAULT 'x'");
                }
                SQLException first = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                        assertThat(rs.getString(2)).isEqualTo("x");
                        first = null;
                        break;
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).isEqualTo("0A000");
                        first = e;
                    }
                }
                assertThat((Object) first).as("still failing after the client re-prepared").isNull();
            }
        }
    }

    /** pool.max_prepared_statements: 0 turns sharing off: a named statement pins, as before. */
    @Test
    void withSharingOffANamedStatementPinsItsClient() throws Exception {
        try (Connection c = named(off, 1); Connection other = named(off, 0);
             PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1, pg_backend_pid()")) {
            String first = run(ps, 1);
            for (int i = 2; i < 6; i++) {
                other.setAutoCommit(false);
                one(other, "SELECT 1"); // holds a connection: an unpinned client could land elsewhere
                assertThat(run(ps, i)).isEqualTo(first);
                other.rollback();
            }
        }
        assertThat(AdminHttp.get(off.adminPort(), "/metrics", null).body())
                .containsPattern("meridian_pool_pins_total\\{[^}]*reason=\"named_statement\"[^}]*\\} [1-9]");
        assertThat(AdminHttp.get(pair.adminPort(), "/metrics", null).body())
                .doesNotContainPattern("meridian_pool_pins_total\\{[^}]*reason=\"named_statement\"");
    }
}
