package dev.meridian.proxy.e2e;

import dev.meridian.proxy.testing.PgServer;
import java.util.Map;

/** The two-region proxy configuration the end-to-end tests share. */
final class TwoRegions {
    static final String YAML = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: { method: trust }
            limits: { startup_timeout: "${STARTUP_TIMEOUT:-10s}", max_message_bytes: 64MB }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              orders:   { regions: [lhr] }
              "shop*":  { regions: [iad] }
              postgres: { regions: [iad] }
              renamed:  { regions: [lhr], backend_database: orders }
            """;

    static Map<String, String> env(PgServer iad, PgServer lhr) {
        return Map.of("IAD_PORT", Integer.toString(iad.port()), "LHR_PORT", Integer.toString(lhr.port()),
                "PGPASS", PgServer.SUPERUSER_PASSWORD);
    }

    private TwoRegions() {
    }
}
