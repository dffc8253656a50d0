package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.meridian.proxy.backend.health.CheckState;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17.2: one user's many pool keys (70 sessions, each with its own
 * {@code application_name}) against a PostgreSQL whose {@code max_connections} is far below
 * {@code pool.max_per_backend}. The backend answers 53300 when its slots are held by idle pooled
 * connections of other keys: Meridian closes those and logs in again, its health check counts
 * the 53300 as busy (never down), and every client, this user's and another's, is served.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolStarvationIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    /** max_connections 25 with 3 reserved for superusers: 22 slots for the proxy's user "app". */
    private static final int MAX_CONNECTIONS = 25;
    private static final int WAVE = 14;
    private static final int SESSIONS = 70;

    static ProxyFixture proxy;
    static LogCapture log;

    @BeforeAll
    static void setUp() throws Exception {
        PgServer iad = PG.server("iad");
        iad.execute("postgres", "ALTER SYSTEM SET max_connections = " + MAX_CONNECTIONS);
        iad.stop();
        iad.start();
        assertThat(iad.query("postgres", "SHOW max_connections")).isEqualTo(Integer.toString(MAX_CONNECTIONS));
        log = LogCapture.of("dev.meridian.proxy");
        proxy = ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: app, password: "${APP_PASS}" }""",
                "health: { interval: 1s, timeout: 1s, rise: 1, fall: 2, grace_period: 0s }"),
                OneRegion.env(PG, java.util.Map.of("APP_PASS", PgServer.APP_PASSWORD)));
    }

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private static Connection connect(String user, String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "20");
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("assumeMinServerVersion", "10"); // application_name in the startup packet: its own pool key
        return java.sql.DriverManager.getConnection(proxy.jdbcUrl("app"), p);
    }

    private static String applicationName(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('application_name')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void manyPoolKeysNeverStarveTheBackendOrMarkItDown() throws Exception {
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger otherServed = new AtomicInteger();
        Thread other = new Thread(() -> {
            while (!stop.get()) {
                try (Connection c = connect("other", "other-user")) {
                    applicationName(c);
                    otherServed.incrementAndGet();
                } catch (SQLException e) {
                    errors.add("other user: " + e.getSQLState() + " " + e.getMessage());
                }
            }
        });
        other.start();
        try {
            for (int first = 0; first < SESSIONS; first += WAVE) {
                runWave(first, errors);
            }
        } finally {
            stop.set(true);
            other.join(30_000);
        }
        assertThat(errors).isEmpty();
        assertThat(otherServed.get()).isPositive();
        assertThat(log.matching(Level.INFO, "is down")).isEmpty();
        assertThat(log.matching(Level.INFO, "is suspect")).isEmpty();
        assertThat(log.matching(Level.INFO, "53300 (too many connections): closing an idle")).isNotEmpty();
        assertThat(proxy.server().context().healthMonitor().current().status("iad-1").orElseThrow().state())
                .isEqualTo(CheckState.UP);
        // The health check read the server's limit and said, once, that the pool can exceed it.
        assertThat(log.matching(Level.WARN, "can exceed what backend iad-1 allows (max_connections 25 - "
                + "superuser_reserved_connections 3 = 22)")).hasSize(1);
        assertThat(AdminHttp.get(proxy.adminPort(), "/routes").body()).contains("\"max_connections\" : 25");
    }

    /** {@link #WAVE} sessions at once, each with a name no earlier session had, then all closed. */
    private static void runWave(int first, ConcurrentLinkedQueue<String> errors) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.CountDownLatch allIn = new java.util.concurrent.CountDownLatch(WAVE);
        for (int i = first; i < first + WAVE && i < SESSIONS; i++) {
            String name = "starve-" + i;
            Thread t = new Thread(() -> {
                try (Connection c = connect("app", name)) {
                    assertThat(applicationName(c)).isEqualTo(name);
                    allIn.countDown();
                    allIn.await(20, TimeUnit.SECONDS); // hold the connection while the wave logs in
                } catch (SQLException e) {
                    allIn.countDown();
                    errors.add(name + ": " + e.getSQLState() + " " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}

