package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17.5: a primary and its replica (pg_basebackup -R); the primary stops, the replica is
 * promoted (timeline 2), then the old primary starts again, still a primary on timeline 1. It is
 * a stale primary: logged once, shown in /routes, and read-write sessions go only to the
 * promoted one.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FencingIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").replica("iad-r", "iad").build();

    static ProxyFixture proxy;

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void anOldPrimaryBackAfterFailoverTakesNoWrites() throws Exception {
        PgServer old = PG.server("iad");
        PgServer promoted = PG.server("iad-r");
        proxy = ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                  - { name: iad-2, region: iad, host: 127.0.0.1, port: "${REPLICA_PORT}", role: auto, user: postgres, password: "${PGPASS}" }""",
                "health: { interval: 300ms, timeout: 300ms, rise: 1, fall: 1, grace_period: 0s }"),
                OneRegion.env(PG, Map.of("REPLICA_PORT", Integer.toString(promoted.port()))));
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.health")) {
            HealthTesting.awaitRoles(proxy, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            old.stop();
            promoted.promote();
            HealthTesting.awaitRoles(proxy, Map.of("iad-2", BackendRole.PRIMARY));
            old.start();
            Await.until(Duration.ofSeconds(30), () -> proxy.server().context().healthMonitor().current()
                    .stalePrimary("iad-1"), () -> "iad-1 is not seen as a stale primary");
            for (int i = 0; i < 10; i++) {
                assertThat(writeSessionPort()).isEqualTo(promoted.port());
            }
            assertThat(old.isInRecovery()).as("the old primary really is a primary again").isFalse();
            HealthTesting.letChecksRun(3);
            assertThat(log.matching(Level.WARN, "backend iad-1 (iad) is a stale primary")).hasSize(1);
        }
        assertThat(AdminHttp.get(proxy.adminPort(), "/routes").body()).contains("\"stale_primary\" : true");
    }

    private static int writeSessionPort() throws Exception {
        try (Connection c = proxy.connect("postgres", "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
