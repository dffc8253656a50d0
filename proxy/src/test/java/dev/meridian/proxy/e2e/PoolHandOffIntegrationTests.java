package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At the pool's cap, a session waiting for a connection gets the one a leaving session releases
 * (after its reset): no backend fork, no login; on another event loop than the connection's, the
 * connection is moved to the waiter's loop. Below the cap, a session whose loop has nothing idle
 * takes an idle connection from another loop the same way.
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

    @Test
    void sessionsOnEitherLoopReuseTheOneIdleConnection() throws Exception {
        // Two event loops: consecutive clients land on different ones, and a session whose loop
        // has nothing idle takes the connection idle on the other (moved across) instead of a login.
        System.setProperty("meridian.io.threads", "2");
        try (ProxyFixture proxy = OneRegion.start(PG, "pool: { max_per_backend: 10 }")) {
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                try (Connection c = proxy.connect("postgres", "postgres", null)) {
                    pids.add(pid(c));
                }
                awaitOneIdle(proxy); // its reset (DISCARD ALL) done: the next client can only find it idle
            }
            assertThat(pids).hasSize(1);
            assertThat(AdminHttp.get(proxy.adminPort(), "/metrics").body())
                    .contains("meridian_backend_connect_seconds_count{backend=\"iad-1\",backend_region=\"iad\",pooled=\"false\"} 1");
        } finally {
            System.clearProperty("meridian.io.threads");
        }
    }

    @Test
    void aWaiterOnAnotherLoopGetsTheReleasedConnectionMovedToIt() throws Exception {
        System.setProperty("meridian.io.threads", "2");
        try (ProxyFixture proxy = OneRegion.start(PG, "pool: { max_per_backend: 1 }")) {
            int first;
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            try (Connection a = proxy.connect("postgres", "postgres", null)) {
                first = pid(a);
                for (int i = 0; i < 3; i++) { // at least one of them on the other loop
                    waiting.add(CompletableFuture.supplyAsync(() -> {
                        try (Connection b = proxy.connect("postgres", "postgres", null)) {
                            return pid(b);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                    Thread.sleep(100);
                }
                Thread.sleep(300);
                assertThat(waiting).noneMatch(CompletableFuture::isDone);
            }
            for (CompletableFuture<Integer> w : waiting) {
                assertThat(w.get(20, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(AdminHttp.get(proxy.adminPort(), "/metrics").body())
                    .contains("meridian_backend_connect_seconds_count{backend=\"iad-1\",backend_region=\"iad\",pooled=\"false\"} 1");
        } finally {
            System.clearProperty("meridian.io.threads");
        }
    }

    private static final Pattern ONE_IDLE =
            Pattern.compile("(?m)^meridian_pool_connections\\{[^}]*state=\"idle\"[^}]*\\} 1(\\.0)?$");

    private static void awaitOneIdle(ProxyFixture proxy) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ONE_IDLE.matcher(AdminHttp.get(proxy.adminPort(), "/metrics").body()).find()) {
            assertThat(System.nanoTime()).as("one idle connection within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static int pid(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
