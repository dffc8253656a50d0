package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console sees transaction pooling (pgjdbc against a real server, one backend
 * connection): SHOW POOLS has a {@code transaction} row with the client holding a transaction and
 * the one waiting for the connection, SHOW CLIENTS says who is pinned and why, SHOW STATS counts
 * transaction-mode queries and transactions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionPoolingAdminIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: 1 }",
                "admin: { host: 127.0.0.1, port: \"${ADMIN_PORT}\", users: [ops] }");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static Connection client() throws SQLException {
        return DriverManager.getConnection(proxy.jdbcUrl("postgres") + "?prepareThreshold=0&sslmode=disable",
                "postgres", "");
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** One SHOW on the admin console: rows as column name → value. */
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

    /** The first row of {@code command} matching {@code want}, asked again for up to 10 s. */
    private static Map<String, String> awaitRow(String command, Predicate<Map<String, String>> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Map<String, String>> rows = show(command);
        while (rows.stream().noneMatch(want) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            rows = show(command);
        }
        assertThat(rows).as(command).anyMatch(want);
        return rows.stream().filter(want).findFirst().orElseThrow();
    }

    private static Map<String, String> statsOf(String database) throws SQLException {
        return show("SHOW STATS").stream().filter(r -> database.equals(r.get("database"))).findFirst()
                .orElse(Map.of("total_xact_count", "0", "total_query_count", "0"));
    }

    @Test
    void showPoolsHasTheTransactionPoolWithTheClientInATransactionAndTheOneWaiting() throws Exception {
        try (Connection a = client(); Connection b = client()) {
            a.setAutoCommit(false);
            one(a, "SELECT txid_current()");
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return one(b, "SELECT 'b ran'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Map<String, String> pool = awaitRow("SHOW POOLS",
                    r -> "transaction".equals(r.get("pool_mode")) && "1".equals(r.get("cl_waiting")));
            assertThat(pool).containsEntry("database", "postgres").containsEntry("user", "postgres")
                    .containsEntry("backend", "iad-1").containsEntry("backend_region", "iad")
                    .containsEntry("cl_active", "1").containsEntry("sv_active", "1").containsEntry("sv_idle", "0");
            assertThat(show("SHOW POOLS")).as("no session-mode row for these clients")
                    .noneMatch(r -> "session".equals(r.get("pool_mode")) && "postgres".equals(r.get("database")));
            a.commit();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("b ran");
            Map<String, String> after = awaitRow("SHOW POOLS",
                    r -> "transaction".equals(r.get("pool_mode")) && "0".equals(r.get("cl_waiting"))
                            && "1".equals(r.get("sv_idle")));
            assertThat(after).containsEntry("cl_active", "2").containsEntry("sv_active", "0");
        }
    }

    @Test
    void showClientsSaysWhoIsPinnedAndWhyUntilTheStateIsGone() throws Exception {
        try (Connection idle = client(); Connection listener = client()) {
            one(idle, "SELECT 1");
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN meridian_jobs");
            }
            Map<String, String> pinned = awaitRow("SHOW CLIENTS", r -> "1".equals(r.get("pinned")));
            assertThat(pinned).containsEntry("pool_mode", "transaction").containsEntry("pin_reason", "listen")
                    .containsEntry("database", "postgres").containsEntry("state", "active");
            assertThat(show("SHOW CLIENTS")).filteredOn(r -> "postgres".equals(r.get("database")))
                    .hasSize(2).anyMatch(r -> "0".equals(r.get("pinned")) && "".equals(r.get("pin_reason"))
                            && "transaction".equals(r.get("pool_mode")));
            try (Statement s = listener.createStatement()) {
                s.execute("UNLISTEN *");
            }
            assertThat(one(idle, "SELECT 'shared again'")).isEqualTo("shared again");
            assertThat(show("SHOW CLIENTS")).filteredOn(r -> "postgres".equals(r.get("database")))
                    .allMatch(r -> "0".equals(r.get("pinned")));
        }
    }

    @Test
    void showStatsCountsTransactionModeQueriesAndTransactions() throws Exception {
        Map<String, String> before = statsOf("postgres");
        try (Connection c = client()) {
            for (int i = 0; i < 5; i++) {
                one(c, "SELECT " + i);
            }
            c.setAutoCommit(false);
            one(c, "SELECT 5");
            one(c, "SELECT 6");
            c.commit();
        }
        Map<String, String> after = awaitRow("SHOW STATS", r -> "postgres".equals(r.get("database"))
                && Long.parseLong(r.get("total_xact_count")) - Long.parseLong(before.get("total_xact_count")) >= 6);
        assertThat(Long.parseLong(after.get("total_query_count")) - Long.parseLong(before.get("total_query_count")))
                .isGreaterThanOrEqualTo(8);
        assertThat(Long.parseLong(after.get("total_received"))).isPositive();
        assertThat(Long.parseLong(after.get("total_sent"))).isPositive();
    }
}
