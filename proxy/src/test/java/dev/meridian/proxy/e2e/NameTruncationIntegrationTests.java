package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Residency by exact database name holds for names over 63 bytes (issue #16, item 4): the
 * protected 63-byte database exists in both regions, its rule allows only lhr, and "*" goes to
 * iad, where PostgreSQL would cut a 64-byte name to the protected one and open it. Meridian cuts
 * first, so the rule matches and the session stays in lhr.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NameTruncationIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static final String PROTECTED = "resident_" + "x".repeat(54); // 63 bytes

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        assertThat(PROTECTED).hasSize(63);
        PG.server("iad").execute("postgres", "CREATE DATABASE " + PROTECTED);
        PG.server("lhr").execute("postgres", "CREATE DATABASE " + PROTECTED);
        String yaml = """
                listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
                admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
                  - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
                databases:
                  %s: { regions: [lhr] }
                  "*": { regions: [iad] }
                """.formatted(PROTECTED);
        proxy = ProxyFixture.start(yaml, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String portAndDatabase(String database) throws Exception {
        try (Connection c = proxy.connect(database, PgServer.SUPERUSER, null);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT current_setting('port') || ' ' || current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theExactNameIsServedInItsRegion() throws Exception {
        assertThat(portAndDatabase(PROTECTED)).isEqualTo(PG.server("lhr").port() + " " + PROTECTED);
    }

    @Test
    void aLongerNameCannotEscapeTheResidencyOfTheNameItIsCutTo() throws Exception {
        for (String longer : new String[] {PROTECTED + "y", PROTECTED + "yyyyyyyyyyyyyyyy"}) {
            assertThat(portAndDatabase(longer)).as(longer).isEqualTo(PG.server("lhr").port() + " " + PROTECTED);
        }
    }
}
