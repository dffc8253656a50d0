package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * Issue 17.3: with the auth table locked, 70 logins that leave again hold no more than
 * {@code auth.auth_query_connections} backend connections at any time, and none once they are
 * gone; a login that waits fails after {@code auth.auth_query_timeout} (08006, query cancelled);
 * the backend is never marked down; outcomes are counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthQueryBudgetIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;
    static LogCapture log;

    @BeforeAll
    static void setUp() throws Exception {
        PgServer iad = PG.server("iad");
        iad.execute("postgres", "CREATE TABLE auth_users (usename text, passwd text)",
                "INSERT INTO auth_users SELECT rolname, rolpassword FROM pg_authid WHERE rolname = 'app'");
        log = LogCapture.of("dev.meridian.proxy");
        proxy = OneRegion.start(PG, """
                auth:
                  auth_query: SELECT usename, passwd FROM auth_users WHERE usename = $1
                  auth_query_connections: 2
                  auth_query_timeout: 2s
                  method: scram-sha-256""",
                "health: { interval: 1s, timeout: 1s, rise: 1, fall: 2, grace_period: 0s }");
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

    private static int authQueryBackends() {
        return Integer.parseInt(PG.server("iad").query("postgres",
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meridian auth_query'"));
    }

    @Test
    void aLockedAuthTableCostsTheBackendNoMoreThanTheBudget() throws Exception {
        try (Connection locker = PG.server("iad").connect("postgres")) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE auth_users IN ACCESS EXCLUSIVE MODE");
            List<Socket> clients = new ArrayList<>();
            int most = 0;
            for (int i = 0; i < 70; i++) {
                clients.add(startLogin("user" + i));
                if (i % 10 == 9) {
                    most = Math.max(most, authQueryBackends());
                }
            }
            Thread.sleep(300);
            most = Math.max(most, authQueryBackends());
            for (Socket s : clients) {
                s.close(); // the clients leave before any answer
            }
            assertThat(most).isBetween(1, 2);
            // Gone clients' queries are cancelled: the backend connections return to the budget.
            Await.until(Duration.ofSeconds(5), () -> authQueryBackends() == 0
                    && proxy.server().authQueries().inUse("iad-1") == 0, () -> authQueryBackends() + " left");

            // A login that waits: refused when the timeout ends, not left hanging.
            assertThatThrownBy(() -> proxy.connect("postgres", "app", PgServer.APP_PASSWORD))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08006");
                        assertThat(e.getMessage()).contains("within 2000 ms");
                    });
            locker.rollback();
        }
        try (Connection c = proxy.connect("postgres", "app", PgServer.APP_PASSWORD)) {
            assertThat(c.isValid(2)).isTrue();
        }
        assertThat(proxy.server().authQueries().total("abandoned")).isPositive();
        assertThat(proxy.server().authQueries().total("timeout")).isPositive();
        assertThat(log.matching(Level.INFO, "is down")).isEmpty();
        assertThat(authQueryBackends()).isZero();
    }

    /** A raw client: the StartupMessage, then nothing (it waits for the authentication request). */
    private static Socket startLogin(String user) throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(196608);
        for (String kv : List.of("user", user, "database", "postgres")) {
            out.write(kv.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.write(0);
        DataOutputStream wire = new DataOutputStream(s.getOutputStream());
        wire.writeInt(body.size() + 4);
        wire.write(body.toByteArray());
        wire.flush();
        return s;
    }
}
