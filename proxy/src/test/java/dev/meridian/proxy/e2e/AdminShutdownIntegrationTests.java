package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.net.ConnectException;
import java.net.Socket;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SHUTDOWN on the admin console: the same graceful drain as SIGTERM. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminShutdownIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    @Test
    void shutdownStopsAcceptingLetsTheSessionFinishThenStops() throws Exception {
        try (ProxyFixture proxy = OneRegion.start(PG, "admin: { host: 127.0.0.1, port: \"${ADMIN_PORT}\", users: [ops] }")) {
            Connection session = proxy.connect("postgres", "postgres", null);
            session.createStatement().execute("SELECT 1");
            ProcessResult r = PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), "ops", null, "meridian",
                    "-c", "SHUTDOWN");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    proxy.server().awaitClose();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepts(proxy.port()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", proxy.port()).close()).isInstanceOf(ConnectException.class);
            assertThat(proxy.server().context().draining()).isTrue();
            session.createStatement().execute("SELECT 2"); // a session in flight may finish
            assertThat(stopped).isNotDone();
            session.close();
            stopped.get(20, TimeUnit.SECONDS);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
