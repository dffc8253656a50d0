package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/** SIGTERM to the real process: stop accepting, /ready 503, let sessions finish, then 57P01, exit 0. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DrainIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    private static Connection connect(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "3");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    @Test
    void sigtermDrainsThenTerminatesWith57P01AndExitsZero(@TempDir Path dir) throws Exception {
        int port = ProxyFixture.freePort();
        int admin = ProxyFixture.freePort();
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, port: %d }
                admin: { host: 127.0.0.1, port: %d }
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: %d, user: postgres, password: "%s" }
                databases:
                  "*": { regions: [iad] }
                """.formatted(port, admin, PG.server("iad").port(), PgServer.SUPERUSER_PASSWORD));
        try (ProxyProcess proxy = ProxyProcess.start(file, port, "run", "-c", file.toString(), "--drain-timeout", "3s");
             Connection live = connect(port)) {
            assertThat(AdminHttp.get(admin, "/ready").status()).isEqualTo(200);
            proxy.signal("TERM");
            Thread.sleep(500);
            assertThat(AdminHttp.get(admin, "/ready").status()).as("not ready while draining").isEqualTo(503);
            assertThatThrownBy(() -> connect(port).close()).as("no new sessions").isInstanceOf(PSQLException.class);
            assertThat(live.createStatement().executeQuery("SELECT 1").next()).as("live session goes on").isTrue();

            assertThat(proxy.process().waitFor(20, TimeUnit.SECONDS)).as("exits after the drain").isTrue();
            assertThat(proxy.process().exitValue()).isZero();
            assertThatThrownBy(() -> live.createStatement().execute("SELECT 1"))
                    .isInstanceOf(PSQLException.class);
            assertThat(proxy.log()).contains("drain time over: terminating 1 sessions");
            assertThat(proxy.log().split("Meridian stopped", -1)).as("\"Meridian stopped\" logged once").hasSize(2);
        }
    }
}
