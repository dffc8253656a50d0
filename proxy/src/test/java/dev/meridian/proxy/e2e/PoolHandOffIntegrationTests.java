package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At the pool's cap, a session waiting for a connection gets the one a leaving session releases
 * (after its reset) when both are on the same event loop: no backend fork, no login.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolHandOffIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    @Test
    void aWaitingSessionTakesTheReleasedConnectionInsteadOfANewLogin() throws Exception {
        // One event loop, so the waiter and the leaving session share it.
        System.setProperty("meridian.io.threads", "1");
        try (ProxyFixture proxy = OneRegion.start(PG, "pool: { max_per_backend: 1 }")) {
            int first;
            CompletableFuture<Integer> waiting;
            try (Connection a = proxy.connect("postgres", "postgres", null)) {
                first = pid(a);
                waiting = CompletableFuture.supplyAsync(() -> {
                    try (Connection b = proxy.connect("postgres", "postgres", null)) {
                        return pid(b);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(300); // b is queued behind a's connection
                assertThat(waiting).isNotDone();
            }
            assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo(first);
            var metrics = AdminHttp.get(proxy.adminPort(), "/metrics").body();
            assertThat(metrics).contains("meridian_backend_connect_seconds_count{backend=\"iad-1\",backend_region=\"iad\",pooled=\"false\"} 1");
        } finally {
            System.clearProperty("meridian.io.threads");
        }
    }

    private static int pid(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
