package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slowloris: 100 connections that trickle in the first bytes of a startup packet and then sit
 * on it. They must not hold up anyone else (one event loop serves many connections; a slow one
 * costs a few bytes of buffer, not a thread), and each is cut off with 08P01 once
 * {@code limits.startup_timeout} has passed since it connected.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowClientsIntegrationTests {
    private static final int SLOW_CLIENTS = 100;
    private static final long STARTUP_TIMEOUT_MILLIS = 3000;
    /** Bytes each slow client sends, one at a time: less than the 4-byte length word plus some. */
    private static final int TRICKLED_BYTES = 6;
    private static final long TRICKLE_INTERVAL_MILLIS = 100;

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = OneRegion.start(PG, "limits: { startup_timeout: " + STARTUP_TIMEOUT_MILLIS + "ms }");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void slowClientsDelayNobodyAndAreCutAtTheStartupTimeout() throws Exception {
        byte[] startup = RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres"));
        List<SlowClient> slow = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(SLOW_CLIENTS);
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(SlowClient.open(proxy.port(), readers));
            }
            for (int b = 0; b < TRICKLED_BYTES; b++) {
                for (SlowClient c : slow) {
                    c.send(startup[b]);
                }
                Thread.sleep(TRICKLE_INTERVAL_MILLIS);
            }

            long worstMillis = 0;
            for (int i = 0; i < 5; i++) {
                worstMillis = Math.max(worstMillis, connectAndSelectOneMillis());
            }
            System.out.printf("connect + SELECT 1 beside %d slow clients: worst of 5 took %d ms%n", SLOW_CLIENTS, worstMillis);
            assertThat(worstMillis).as("a normal client's connect + SELECT 1, ms").isLessThan(2000);

            long latestCut = 0;
            for (SlowClient c : slow) {
                latestCut = Math.max(latestCut, c.assertCutWithTimeoutError(STARTUP_TIMEOUT_MILLIS));
            }
            System.out.printf("all %d slow clients cut with 08P01, the last %d ms after it connected%n",
                    SLOW_CLIENTS, latestCut);
        } finally {
            for (SlowClient c : slow) {
                c.close();
            }
            readers.shutdownNow();
        }
    }

    private static long connectAndSelectOneMillis() throws Exception {
        long start = System.nanoTime();
        try (Connection c = proxy.connect("postgres", "postgres", null);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
