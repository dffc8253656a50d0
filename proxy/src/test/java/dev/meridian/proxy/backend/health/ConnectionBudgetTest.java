package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
    private static MeridianConfig config(String extra) {
        return ConfigLoader.parse("""
                listen: { host: 127.0.0.1, port: 6432 }
                region: iad
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: 5432, user: meridian, password: x }
                databases: { "*": {} }
                """ + extra, Map.of(), Path.of("."));
    }

    private static final String AUTH_QUERY = """
            auth: { auth_query: "SELECT usename, passwd FROM pg_shadow WHERE usename = $1", auth_query_connections: 4 }
            """;

    @Test
    void theDefaultsAgainstPostgresDefaultsCanFillTheServer() {
        MeridianConfig c = config("auth: { method: trust }\n");
        assertThat(ConnectionBudget.warning(c.backends().get(0), new ServerFacts("1", 1L, 100, 3), c)).hasValue(
                "pool.max_per_backend (100) + 1 health check = 101 can exceed what backend iad-1 allows "
                        + "(max_connections 100 - superuser_reserved_connections 3 = 97); "
                        + "lower pool.max_per_backend or raise max_connections");
    }

    @Test
    void authQueryConnectionsCountToo() {
        MeridianConfig c = config(AUTH_QUERY + "pool: { max_per_backend: 93 }\n");
        assertThat(ConnectionBudget.warning(c.backends().get(0), new ServerFacts("1", 1L, 100, 3), c))
                .hasValueSatisfying(w -> assertThat(w).contains("+ auth.auth_query_connections (4) = 98 can exceed"));
        MeridianConfig fits = config(AUTH_QUERY + "pool: { max_per_backend: 92 }\n");
        assertThat(ConnectionBudget.warning(fits.backends().get(0), new ServerFacts("1", 1L, 100, 3), fits)).isEmpty();
    }

    @Test
    void unknownLimitsWarnOfNothing() {
        MeridianConfig c = config("auth: { method: trust }\n");
        assertThat(ConnectionBudget.warning(c.backends().get(0), null, c)).isEmpty();
        assertThat(ConnectionBudget.warning(c.backends().get(0), new ServerFacts(null, null, null, null), c)).isEmpty();
    }
}
