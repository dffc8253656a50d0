package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transaction pooling with pgjdbc against a real server: clients share one or two backend
 * connections between transactions, wait FIFO for one, and whatever leaves session state behind
 * pins the client to its connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionPoolingIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture single;
    static ProxyFixture pair;

    @BeforeAll
    static void start() throws Exception {
        single = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 1 }",
                "limits: { query_wait_timeout: 2s }");
        pair = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 2 }");
    }

    @AfterAll
    static void stop() {
        if (single != null) {
            single.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void manyClientsShareOneBackendConnection() throws Exception {
        try (Connection a = unnamedOnly(single);
             Connection b = unnamedOnly(single);
             Connection c = unnamedOnly(single)) {
            String pid = one(a, "SELECT pg_backend_pid()");
            assertThat(one(b, "SELECT pg_backend_pid()")).isEqualTo(pid);
            assertThat(one(c, "SELECT pg_backend_pid()")).isEqualTo(pid);
            assertThat(one(a, "SELECT 40 + 2")).isEqualTo("42");
        }
    }

    @Test
    void aTransactionKeepsItsConnectionAndOthersWaitForTheCommit() throws Exception {
        try (Connection a = unnamedOnly(single);
             Connection b = unnamedOnly(single)) {
            a.setAutoCommit(false);
            one(a, "SELECT txid_current()");
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return one(b, "SELECT 'b ran'");
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            a.commit();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("b ran");
        }
    }

    @Test
    void aClientWaitingLongerThanQueryWaitTimeoutGets53300() throws Exception {
        try (Connection a = unnamedOnly(single);
             Connection b = unnamedOnly(single)) {
            a.setAutoCommit(false);
            one(a, "SELECT 1");
            assertThatThrownBy(() -> one(b, "SELECT 2"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"))
                    .hasMessageContaining("query_wait_timeout");
            a.rollback();
        }
    }

    @Test
    void sessionStatePinsTheClientAndOthersUseTheOtherConnection() throws Exception {
        try (Connection pinned = unnamedOnly(pair);
             Connection b = unnamedOnly(pair);
             Connection c = unnamedOnly(pair)) {
            one(pinned, "SELECT pg_advisory_lock(77)");
            String pid = one(pinned, "SELECT pg_backend_pid()");
            String other = one(b, "SELECT pg_backend_pid()");
            assertThat(other).isNotEqualTo(pid);
            assertThat(one(c, "SELECT pg_backend_pid()")).isEqualTo(other);
            try (Statement s = pinned.createStatement()) {
                s.execute("SET search_path = pg_catalog");
            }
            assertThat(one(pinned, "SHOW search_path")).isEqualTo("pg_catalog");
            assertThat(one(b, "SHOW search_path")).isEqualTo("\"$user\", public");
            assertThat(one(pinned, "SELECT pg_backend_pid()")).isEqualTo(pid);
        }
        // The pinned client left: nobody inherits its lock or search_path, and its connection's
        // reset (which runs after the client is gone, so it may still be under way) frees the lock.
        try (Connection d = unnamedOnly(pair)) {
            assertThat(one(d, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 77"
                    + " AND pid = pg_backend_pid()")).isEqualTo("0");
            assertThat(one(d, "SHOW search_path")).isEqualTo("\"$user\", public");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            String held;
            while (!(held = one(d, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 77"))
                    .equals("0") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(held).as("the pinned connection's advisory lock after its reset").isEqualTo("0");
        }
    }

    /**
     * pgjdbc without server-prepared statements, so that each request is one round trip (named
     * statements are shared across connections too: {@link #namedStatementsAreSharedAndStayCorrect}).
     */
    private static Connection unnamedOnly(ProxyFixture p) throws SQLException {
        return java.sql.DriverManager.getConnection(p.jdbcUrl("postgres") + "?prepareThreshold=0&sslmode=disable",
                "postgres", "");
    }

    @Test
    void unnamedExtendedProtocolStatementsAreMultiplexed() throws Exception {
        try (Connection a = unnamedOnly(single); Connection b = unnamedOnly(single)) {
            for (int i = 0; i < 20; i++) {
                Connection c = i % 2 == 0 ? a : b;
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * 2")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i * 2);
                    }
                }
            }
        }
    }

    @Test
    void namedStatementsAreSharedAndStayCorrect() throws Exception {
        try (Connection named = java.sql.DriverManager.getConnection(
                pair.jdbcUrl("postgres") + "?prepareThreshold=1&sslmode=disable", "postgres", "");
             Connection other = unnamedOnly(pair)) {
            for (int i = 0; i < 10; i++) {
                try (PreparedStatement ps = named.prepareStatement("SELECT ?::int + 1, pg_backend_pid()")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i + 1);
                    }
                }
                assertThat(one(other, "SELECT " + i)).isEqualTo(Integer.toString(i));
            }
        }
    }
}
