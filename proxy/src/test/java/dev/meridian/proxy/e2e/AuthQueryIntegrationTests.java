package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/** {@code auth.auth_query}: users known only to the backend log in with their own password. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthQueryIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String AUTH = """
            auth:
              auth_query: SELECT usename, passwd FROM pg_shadow WHERE usename = $1
              method: scram-sha-256
            """;

    static ProxyFixture proxy;

    @BeforeAll
    static void setUp() throws Exception {
        PgServer iad = PG.server("iad");
        iad.execute("postgres", "CREATE ROLE dave LOGIN PASSWORD 'dave-one'");
        proxy = OneRegion.start(PG, AUTH);
    }

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String sessionUser(String user, String password) throws Exception {
        try (Connection c = proxy.connect("postgres", user, password);
             ResultSet rs = c.createStatement().executeQuery("SELECT session_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void userKnownOnlyToTheBackendLogsInWithItsPassword() throws Exception {
        assertThat(sessionUser("dave", "dave-one")).isEqualTo("postgres");
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAlike() {
        assertThatThrownBy(() -> sessionUser("dave", "nope")).isInstanceOfSatisfying(PSQLException.class,
                e -> assertThat(e.getMessage()).contains("password authentication failed for user \"dave\""));
        assertThatThrownBy(() -> sessionUser("nobody", "nope")).isInstanceOfSatisfying(PSQLException.class,
                e -> assertThat(e.getMessage()).contains("password authentication failed for user \"nobody\""));
    }

    @Test
    void aChangedPasswordIsPickedUpAfterOneFailedAttempt() throws Exception {
        PG.server("iad").execute("postgres", "CREATE ROLE erin LOGIN PASSWORD 'erin-one'");
        assertThat(sessionUser("erin", "erin-one")).isEqualTo("postgres");
        PG.server("iad").execute("postgres", "ALTER ROLE erin PASSWORD 'erin-two'");
        // The cached verifier still holds the old password: that attempt fails and drops it.
        assertThatThrownBy(() -> sessionUser("erin", "erin-two")).isInstanceOf(PSQLException.class);
        assertThat(sessionUser("erin", "erin-two")).isEqualTo("postgres");
    }
}
