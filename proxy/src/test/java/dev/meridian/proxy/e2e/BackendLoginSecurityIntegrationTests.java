package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How Meridian logs in to backends (issue #16, items 1 and 7): a backend that asks for a
 * cleartext password without TLS (pg_hba {@code password}, no SSL) gets none unless it says
 * {@code allow_cleartext: true}; a configured login user that is a superuser is found by the
 * health check and reported (log warning, {@code SHOW BACKENDS}, {@code /routes}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BackendLoginSecurityIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String CLEAR_USER = "clear_user";
    static final String CLEAR_PASSWORD = "clear-secret";

    static Path hba;
    static String originalHba;

    @BeforeAll
    static void cleartextBackend() throws Exception {
        PgServer iad = PG.server("iad");
        iad.execute("postgres", "CREATE ROLE " + CLEAR_USER + " LOGIN PASSWORD '" + CLEAR_PASSWORD + "'");
        hba = iad.dataDir().resolve("pg_hba.conf");
        originalHba = Files.readString(hba);
        Files.writeString(hba, "host all " + CLEAR_USER + " 127.0.0.1/32 password\n" + originalHba);
        iad.query("postgres", "SELECT pg_reload_conf()");
        Thread.sleep(500); // the postmaster re-reads pg_hba.conf on SIGHUP, asynchronously
    }

    @AfterAll
    static void restoreHba() throws Exception {
        Files.writeString(hba, originalHba);
        PG.server("iad").query("postgres", "SELECT pg_reload_conf()");
    }

    private static ProxyFixture proxy(String backendUser, String password, String extra) throws Exception {
        return proxy(backendUser, password, extra, "60s");
    }

    private static ProxyFixture proxy(String backendUser, String password, String extra, String grace) throws Exception {
        return ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: %s, password: "%s",
                      tls: { mode: prefer } %s }""".formatted(backendUser, password, extra),
                "admin: { host: 127.0.0.1, port: \"${ADMIN_PORT}\", users: [ops] }",
                "health: { interval: 500ms, timeout: 500ms, fall: 2, grace_period: " + grace + " }"),
                OneRegion.env(PG, Map.of()));
    }

    @Test
    void aCleartextPasswordIsNotSentWithoutTls() throws Exception {
        try (ProxyFixture proxy = proxy(CLEAR_USER, CLEAR_PASSWORD, "")) {
            assertThatThrownBy(() -> proxy.connect("postgres", "alice", null).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28000");
                        assertThat(e.getMessage()).contains("backend iad-1 asks for a cleartext password")
                                .contains("allow_cleartext: true").doesNotContain(CLEAR_PASSWORD);
                    });
        }
    }

    @Test
    void theHealthCheckSaysWhyTheBackendIsDown() throws Exception {
        try (ProxyFixture proxy = proxy(CLEAR_USER, CLEAR_PASSWORD, "", "0s")) {
            await(() -> AdminHttp.get(proxy.adminPort(), "/routes").body()
                    .contains("asks for a cleartext password over a connection without TLS"));
            assertThat(AdminHttp.get(proxy.adminPort(), "/routes").body()).contains("\"up\" : false")
                    .contains("allow_cleartext: true").doesNotContain(CLEAR_PASSWORD);
        }
    }

    @Test
    void allowCleartextLetsThePasswordGo() throws Exception {
        try (ProxyFixture proxy = proxy(CLEAR_USER, CLEAR_PASSWORD, ", allow_cleartext: true");
             Connection c = proxy.connect("postgres", "alice", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(CLEAR_USER);
        }
    }

    @Test
    void aSuperuserLoginIsReportedAndAnUnprivilegedOneIsNot() throws Exception {
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.backend.health");
             ProxyFixture superuser = proxy(PgServer.SUPERUSER, PgServer.SUPERUSER_PASSWORD, "");
             ProxyFixture app = proxy(PgServer.APP_USER, PgServer.APP_PASSWORD, "")) {
            await(() -> AdminHttp.get(superuser.adminPort(), "/routes").body().contains("\"login_superuser\" : true"));
            await(() -> AdminHttp.get(app.adminPort(), "/routes").body().contains("\"login_superuser\" : false"));
            assertThat(console(superuser, "SHOW BACKENDS")).endsWith("|yes");
            assertThat(console(app, "SHOW BACKENDS")).endsWith("|no");
            assertThat(log.matching(Level.WARN, "is a superuser, and every client logs in as it")).hasSize(1);
        }
    }

    private static String console(ProxyFixture proxy, String command) {
        ProcessResult r = PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), "ops", null, "meridian",
                "-c", command);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
