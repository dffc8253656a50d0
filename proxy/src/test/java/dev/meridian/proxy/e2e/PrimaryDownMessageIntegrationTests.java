package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read-write psql session whose only primary is down is told, in the 57P03 message, that it
 * needs a primary and that a read-only session would be served; the read-only session then is.
 * The primary is a closed port; the replica is the real server, configured as {@code role: replica}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrimaryDownMessageIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    @Test
    void readWriteIsToldToAskForReadOnlyWhichIsServed() throws Exception {
        String backends = """
                backends:
                  - { name: iad-p, region: iad, host: 127.0.0.1, port: "${CLOSED_PORT}", role: primary, user: postgres, password: "${PGPASS}" }
                  - { name: iad-r, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: replica, user: postgres, password: "${PGPASS}" }""";
        Map<String, String> env = OneRegion.env(PG, Map.of("CLOSED_PORT", Integer.toString(ProxyFixture.freePort())));
        try (ProxyFixture proxy = ProxyFixture.start(OneRegion.yaml(backends), env)) {
            PgEndpoint endpoint = new PgEndpoint("127.0.0.1", proxy.port());
            ProcessResult readWrite = PgTools.local().psql(endpoint, "postgres", null, "postgres", "-c", "SELECT 1");
            assertThat(readWrite.exitCode()).isEqualTo(2);
            assertThat(readWrite.stderr()).contains("FATAL:  no primary available for database \"postgres\" in regions iad:"
                    + " a read-write session needs a primary; a read-only session"
                    + " (options=-c meridian.target=read-only) would be served by a replica, which is up");
            ProcessResult readOnly = PgTools.local().psql(endpoint, "postgres", null,
                    "dbname=postgres options='-c meridian.target=read-only'", "-Atc", "SELECT 42");
            assertThat(readOnly.exitCode()).as(readOnly.stderr()).isZero();
            assertThat(readOnly.stdout().trim()).isEqualTo("42");
        }
    }
}
