package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code psql -d meridian}: the admin console, as PgBouncer users know it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminConsoleIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}", users: [ops] }
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              orders: { regions: [lhr] }
              "*": { regions: [iad] }
            """;

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE DATABASE orders");
        proxy = ProxyFixture.start(CONFIG, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static ProcessResult console(String user, String command) {
        return PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), user, null, "meridian", "-c", command);
    }

    @Test
    void showBackendsListsEveryBackendWithItsState() {
        ProcessResult r = console("ops", "SHOW BACKENDS");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("iad-1|iad|127.0.0.1|" + PG.server("iad").port())
                .contains("lhr-1|lhr|127.0.0.1|" + PG.server("lhr").port()).contains("|up|");
    }

    @Test
    void showClientsAndPoolsSeeALiveSession() throws Exception {
        try (Connection c = proxy.connect("orders", "postgres", null)) {
            c.createStatement().execute("SELECT 1");
            ProcessResult clients = console("ops", "show clients;");
            assertThat(clients.stdout()).contains("|postgres|orders|lhr-1|lhr|");
            ProcessResult pools = console("ops", "SHOW POOLS");
            assertThat(pools.stdout()).contains("lhr-1|lhr|1|");
        }
    }

    @Test
    void showConfigAndRoutesNeverShowPasswords() {
        ProcessResult config = console("ops", "SHOW CONFIG");
        assertThat(config.exitCode()).isZero();
        assertThat(config.stdout()).contains("backends.iad-1").contains("password=****")
                .doesNotContain(PgServer.SUPERUSER_PASSWORD);
        assertThat(console("ops", "SHOW ROUTES").stdout()).contains("orders|lhr|nearest|");
    }

    @Test
    void pauseHoldsNewSessionsUntilResume() throws Exception {
        assertThat(console("ops", "PAUSE orders").exitCode()).isZero();
        CompletableFuture<Long> held = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try (Connection c = proxy.connect("orders", "postgres", null)) {
                c.createStatement().execute("SELECT 1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        });
        Thread.sleep(700);
        assertThat(held).isNotDone();
        assertThat(console("ops", "SHOW ROUTES").stdout()).contains("orders|lhr|nearest||paused");
        assertThat(console("ops", "RESUME orders").exitCode()).isZero();
        assertThat(held.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(600);
    }

    @Test
    void onlyAdminUsersAndKnownCommands() {
        ProcessResult stranger = console("postgres", "SHOW BACKENDS");
        assertThat(stranger.exitCode()).isEqualTo(2);
        assertThat(stranger.stderr()).contains("may not use the admin console");
        ProcessResult unknown = console("ops", "DROP TABLE x");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("unknown admin command");
        ProcessResult reload = console("ops", "RELOAD");
        assertThat(reload.stderr()).contains("RELOAD needs the proxy to be started with a configuration file");
    }
}
