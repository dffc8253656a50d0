package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PostgresExtension;
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

/**
 * {@code limits.idle_transaction_timeout}: a session that sits idle inside a transaction is told
 * FATAL 25P03 and its backend is closed (its transaction rolled back, nothing pooled); idle
 * sessions outside a transaction and slow queries inside one are left alone.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdleTransactionIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PG.server("iad").execute("postgres", "CREATE TABLE IF NOT EXISTS idle_tx (v int)");
        proxy = OneRegion.start(PG, "limits: { idle_transaction_timeout: 1s }");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static RawClient session() throws Exception {
        RawClient c = new RawClient("127.0.0.1", proxy.port());
        c.send(RawClient.startupPacket(196608, Map.of("user", "postgres", "database", "postgres")));
        assertThat(c.readUntil('Z').text()).isEqualTo("I");
        return c;
    }

    /** Runs a simple query; returns the first column of the first row (or null) once ReadyForQuery arrives. */
    private static String[] query(RawClient c, String sql) throws Exception {
        c.send(RawClient.query(sql));
        String value = null;
        while (true) {
            RawClient.Message m = c.read();
            if (m.type() == 'D' && value == null) {
                int len = ((m.body()[2] & 0xff) << 24) | ((m.body()[3] & 0xff) << 16) | ((m.body()[4] & 0xff) << 8)
                        | (m.body()[5] & 0xff);
                value = new String(m.body(), 6, len);
            } else if (m.type() == 'Z') {
                return new String[] {value, m.text()};
            }
        }
    }

    private static String activity(String pid) {
        return PG.server("iad").query("postgres", "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid);
    }

    private static void awaitGone(String pid) {
        Await.until(Duration.ofSeconds(10), () -> activity(pid).equals("0"), () -> "backend " + pid + " still there");
    }

    @Test
    void aSessionIdleInATransactionGets25P03AndItsBackendIsGone() throws Exception {
        try (RawClient c = session()) {
            String pid = query(c, "SELECT pg_backend_pid()")[0];
            assertThat(query(c, "BEGIN; INSERT INTO idle_tx VALUES (1)")[1]).isEqualTo("T");
            long idleFrom = System.nanoTime();
            RawClient.Message m = c.read();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleFrom);
            assertThat(m.type()).isEqualTo('E');
            assertThat(m.fields()).containsEntry('S', "FATAL").containsEntry('C', "25P03");
            assertThat(m.fields().get('M')).contains("idle-in-transaction timeout")
                    .contains("limits.idle_transaction_timeout: 1s");
            assertThat(waited).as("not before the timeout").isGreaterThanOrEqualTo(900);
            assertThat(c.closedByServer()).isTrue();
            awaitGone(pid);
        }
        assertThat(PG.server("iad").query("postgres", "SELECT count(*) FROM idle_tx WHERE v = 1"))
                .as("the transaction was rolled back").isEqualTo("0");
    }

    @Test
    void aFailedTransactionWaitingForRollbackCountsToo() throws Exception {
        try (RawClient c = session()) {
            String pid = query(c, "SELECT pg_backend_pid()")[0];
            c.send(RawClient.query("BEGIN; SELECT 1/0"));
            assertThat(c.readUntil('Z').text()).isEqualTo("E");
            RawClient.Message m = c.read();
            assertThat(m.fields()).containsEntry('S', "FATAL").containsEntry('C', "25P03");
            assertThat(c.closedByServer()).isTrue();
            awaitGone(pid);
        }
    }

    @Test
    void pgjdbcSeesTheTimeoutOnItsNextStatement() throws Exception {
        try (Connection c = proxy.connect("postgres", "postgres", null)) {
            c.setAutoCommit(false);
            String pid = one(c, "SELECT pg_backend_pid()");
            Thread.sleep(2000);
            assertThatThrownBy(() -> one(c, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25P03"));
            awaitGone(pid);
        }
    }

    @Test
    void aSessionIdleOutsideATransactionIsLeftAlone() throws Exception {
        try (RawClient c = session(); Connection j = proxy.connect("postgres", "postgres", null)) {
            String pid = query(c, "SELECT pg_backend_pid()")[0];
            one(j, "SELECT 1");
            Thread.sleep(2500);
            assertThat(query(c, "SELECT pg_backend_pid()")).containsExactly(pid, "I");
            assertThat(one(j, "SELECT 'still here'")).isEqualTo("still here");
        }
    }

    @Test
    void aSlowQueryInsideATransactionIsNotIdle() throws Exception {
        try (RawClient c = session()) {
            assertThat(query(c, "BEGIN")[1]).isEqualTo("T");
            assertThat(query(c, "SELECT pg_sleep(2.5)")[1]).isEqualTo("T");
            // Busy the whole time, then idle again for under the timeout between statements.
            Thread.sleep(500);
            assertThat(query(c, "SELECT 'alive'")).containsExactly("alive", "T");
            assertThat(query(c, "COMMIT")[1]).isEqualTo("I");
        }
    }

    @Test
    void eachStatementRestartsTheClock() throws Exception {
        try (RawClient c = session()) {
            assertThat(query(c, "BEGIN")[1]).isEqualTo("T");
            for (int i = 0; i < 5; i++) {
                Thread.sleep(600);
                assertThat(query(c, "SELECT " + i)).containsExactly(Integer.toString(i), "T");
            }
            assertThat(query(c, "COMMIT")[1]).isEqualTo("I");
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
