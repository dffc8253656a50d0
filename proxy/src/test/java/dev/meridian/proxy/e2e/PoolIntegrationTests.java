package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.localpg.PgBinaries;
import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/** Session pooling: warm connections are reused, and nothing of one session reaches the next. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PoolIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String[] SECTIONS = {
            "limits: { startup_timeout: 2s }",
            "pool: { max_per_backend: \"${POOL_MAX:-5}\", idle_timeout: 5m }"};

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(OneRegion.yaml(SECTIONS), env("5"));
    }

    static Map<String, String> env(String poolMax) {
        return OneRegion.env(PG, Map.of("POOL_MAX", poolMax));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static Connection connect(ProxyFixture p) throws Exception {
        return p.connect("postgres", "postgres", null);
    }

    private static String one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aReusedConnectionCarriesNoStateFromTheSessionBefore() throws Exception {
        String pid;
        try (Connection c = connect(proxy); Statement s = c.createStatement()) {
            pid = one(c, "SELECT pg_backend_pid()");
            s.execute("SET search_path = pg_catalog");
            s.execute("CREATE TEMP TABLE leftover (v int)");
            s.execute("PREPARE leftover_stmt AS SELECT 1");
            s.execute("SELECT pg_advisory_lock(4242)");
            s.execute("LISTEN leftover_channel");
        }
        // Idle connections are kept per event loop; within a few sessions one lands on its loop.
        boolean reused = false;
        for (int i = 0; i < 8 && !reused; i++) {
            Thread.sleep(100);
            try (Connection c = connect(proxy)) {
                reused = one(c, "SELECT pg_backend_pid()").equals(pid);
                assertThat(one(c, "SHOW search_path")).isEqualTo("\"$user\", public");
                assertThat(one(c, "SELECT count(*) FROM pg_class WHERE relname = 'leftover'")).isEqualTo("0");
                assertThat(one(c, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'leftover_stmt'"))
                        .isEqualTo("0");
                assertThat(one(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo("0");
                assertThat(one(c, "SELECT count(*) FROM pg_listening_channels()")).isEqualTo("0");
            }
        }
        assertThat(reused).as("the pooled connection was handed to a later session").isTrue();
    }

    @Test
    void aSessionLeftInATransactionIsClosedNotReused() throws Exception {
        String pid;
        try (Connection c = connect(proxy)) {
            c.setAutoCommit(false);
            pid = one(c, "SELECT pg_backend_pid()");
        }
        Thread.sleep(200);
        try (Connection c = connect(proxy)) {
            assertThat(one(c, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
            assertThat(PG.server("iad").query("postgres", "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid))
                    .isEqualTo("0");
        }
    }

    @Test
    void aConnectionThatDiedInThePoolIsReplaced() throws Exception {
        String pid;
        try (Connection c = connect(proxy)) {
            pid = one(c, "SELECT pg_backend_pid()");
        }
        Thread.sleep(200);
        PG.server("iad").execute("postgres", "SELECT pg_terminate_backend(" + pid + ")");
        Thread.sleep(200);
        try (Connection c = connect(proxy)) {
            assertThat(one(c, "SELECT 'alive'")).isEqualTo("alive");
            assertThat(one(c, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
        }
    }

    @Test
    void anExhaustedPoolMakesClientsWaitThenRefusesWith53300() throws Exception {
        try (ProxyFixture one = ProxyFixture.start(OneRegion.yaml(SECTIONS), env("1"))) {
            Connection holder = connect(one);
            CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
                try (Connection c = connect(one)) {
                    return one(c, "SELECT 'served after waiting'");
                } catch (Exception e) {
                    return e.toString();
                }
            });
            Thread.sleep(500);
            holder.close();
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("served after waiting");

            try (Connection busy = connect(one)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> connect(one).close()).isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("53300");
                    assertThat(e.getMessage()).contains("pool.max_per_backend: 1");
                });
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1500L, 8000L);
                assertThat(one(busy, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void ctrlCInRealPsqlCancelsARunningQuery() throws Exception {
        Process psql = new ProcessBuilder(PgBinaries.require().psql().toString(), "-X", "-h", "127.0.0.1",
                "-p", Integer.toString(proxy.port()), "-U", "postgres", "-d", "postgres", "-c", "SELECT pg_sleep(30)")
                .redirectErrorStream(true).start();
        Thread.sleep(1500);
        long start = System.nanoTime();
        new ProcessBuilder("kill", "-INT", Long.toString(psql.pid())).start().waitFor();
        assertThat(psql.waitFor(10, TimeUnit.SECONDS)).as("psql ended after Ctrl-C").isTrue();
        String out = new String(psql.getInputStream().readAllBytes());
        assertThat(out).contains("canceling statement due to user request");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }
}
