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

/**
 * Issue 16.3: an auth_query answer is only believed for the backend that gave it. A role that
 * exists only in lhr's {@code pg_shadow} logs in to an lhr database, and right after (within the
 * cache's minute) is still refused for a database whose rule is {@code regions: [iad]} and by
 * the admin console, which authenticates only against the users file.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuthQueryRegionsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static final String YAML = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}", users: [lhr_only] }
            region: iad
            auth:
              auth_query: SELECT usename, passwd FROM pg_shadow WHERE usename = $1
              method: scram-sha-256
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              orders:   { regions: [lhr] }
              postgres: { regions: [iad] }
            """;

    static ProxyFixture proxy;

    @BeforeAll
    static void setUp() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE ROLE lhr_only LOGIN PASSWORD 'lhr-secret'",
                "CREATE DATABASE orders");
        proxy = ProxyFixture.start(YAML, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String serverPort(String database) throws Exception {
        try (Connection c = proxy.connect(database, "lhr_only", "lhr-secret");
             ResultSet rs = c.createStatement().executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aRoleKnownOnlyInLhrCannotUseItsCachedSecretForAnIadDatabaseOrTheConsole() throws Exception {
        assertThat(serverPort("orders")).isEqualTo(Integer.toString(PG.server("lhr").port()));
        assertThatThrownBy(() -> serverPort("postgres")).isInstanceOfSatisfying(PSQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> proxy.connect("meridian", "lhr_only", "lhr-secret").close())
                .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        // And it still logs in where it exists.
        assertThat(serverPort("orders")).isEqualTo(Integer.toString(PG.server("lhr").port()));
    }
}
