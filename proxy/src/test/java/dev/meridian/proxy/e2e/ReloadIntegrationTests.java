package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP to the real process: new sessions follow the new file, live ones keep their backend. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReloadIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    private static String config(int port, int adminPort, String appRegion, String lhrPort) {
        return """
                listen: { host: 127.0.0.1, port: %d }
                admin: { host: 127.0.0.1, port: %d, users: [postgres] }
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: %d, user: postgres, password: "%s" }
                  - { name: lhr-1, region: lhr, host: 127.0.0.1, port: %s, user: postgres, password: "%s" }
                databases:
                  app: { regions: [%s] }
                """.formatted(port, adminPort, PG.server("iad").port(), PgServer.SUPERUSER_PASSWORD,
                lhrPort, PgServer.SUPERUSER_PASSWORD, appRegion);
    }

    private static String port(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SHOW port")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect(int proxyPort) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxyPort + "/app", p);
    }

    private static void awaitLog(ProxyProcess proxy, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!proxy.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("log never said \"" + text + "\":\n" + proxy.log());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void sighupReroutesNewSessionsKeepsLiveOnesAndRefusesABadFile(@TempDir Path dir) throws Exception {
        int port = ProxyFixture.freePort();
        int admin = ProxyFixture.freePort();
        String iadPort = Integer.toString(PG.server("iad").port());
        String lhrPort = Integer.toString(PG.server("lhr").port());
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, config(port, admin, "iad", lhrPort));
        try (ProxyProcess proxy = ProxyProcess.start(file, port, "run", "-c", file.toString());
             Connection live = connect(port)) {
            assertThat(port(live)).isEqualTo(iadPort);

            Files.writeString(file, config(port, admin, "lhr", lhrPort));
            proxy.signal("HUP");
            awaitLog(proxy, "configuration reloaded");
            try (Connection fresh = connect(port)) {
                assertThat(port(fresh)).isEqualTo(lhrPort);
            }
            assertThat(port(live)).isEqualTo(iadPort);

            Files.writeString(file, config(port, admin, "iad", "70000"));
            proxy.signal("HUP");
            awaitLog(proxy, "reload refused: backends[1].port:");
            try (Connection still = connect(port)) {
                assertThat(port(still)).isEqualTo(lhrPort);
            }

            // RELOAD on the admin console does the same as SIGHUP.
            Files.writeString(file, config(port, admin, "iad", lhrPort));
            var reload = dev.meridian.proxy.testing.PgTools.local().psql(
                    new dev.meridian.proxy.testing.PgEndpoint("127.0.0.1", port), "postgres", null, "meridian",
                    "-c", "RELOAD");
            assertThat(reload.exitCode()).as(reload.stderr()).isZero();
            try (Connection back = connect(port)) {
                assertThat(port(back)).isEqualTo(iadPort);
            }
        }
    }
}
