package dev.meridian.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.AuthMethod;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's generated configuration passes the same validation as a user's file. */
class DemoConfigTest {

    private static final Map<String, Integer> BACKEND_PORTS = Map.of("iad", 5001, "lhr", 5002, "sin", 5003);

    private final String yaml = DemoConfig.yaml(new DemoPorts(6432, 9187), BACKEND_PORTS);
    private final MeridianConfig config = ConfigLoader.parse(yaml,
            Map.of(DemoConfig.PASSWORD_ENV, "s3cret"), null);

    @Test
    void theWrittenFileLoadsWithoutThePasswordSoCheckAndRouteWorkOnIt() {
        MeridianConfig offline = ConfigLoader.parse(yaml, Map.of(), null);
        assertThat(offline.backends()).allSatisfy(backend -> assertThat(backend.password()).isNull());
    }

    @Test
    void listensOnLoopbackOnlyAndTrustsClients() {
        assertThat(config.listen().host()).isEqualTo("127.0.0.1");
        assertThat(config.listen().port()).isEqualTo(6432);
        assertThat(config.admin().host()).isEqualTo("127.0.0.1");
        assertThat(config.admin().port()).isEqualTo(9187);
        assertThat(config.auth().method()).isEqualTo(AuthMethod.TRUST);
        assertThat(yaml).contains("# Clients are not asked for a password");
    }

    @Test
    void oneBackendPerRegionLoggingInWithThePasswordFromTheEnvironment() {
        assertThat(config.backends()).extracting(BackendConfig::region).containsExactly("iad", "lhr", "sin");
        assertThat(config.backends()).extracting(BackendConfig::port).containsExactly(5001, 5002, 5003);
        assertThat(config.backends()).allSatisfy(backend -> {
            assertThat(backend.user()).isEqualTo(DemoServers.ROLE);
            assertThat(backend.password()).isEqualTo("s3cret");
        });
        assertThat(yaml).doesNotContain("s3cret");
    }

    @Test
    void eachDemoDatabaseIsPinnedToItsRegionAndEverythingElseGoesNearest() {
        for (String region : DemoServers.REGIONS) {
            assertThat(config.routeFor("demo_" + region).orElseThrow().regions()).containsExactly(region);
        }
        DatabaseRule fallback = config.routeFor("postgres").orElseThrow();
        assertThat(fallback.pattern()).isEqualTo("*");
        assertThat(fallback.regions()).isEmpty();
        assertThat(fallback.prefer().toString()).isEqualTo("nearest");
        assertThat(config.region()).isEqualTo(DemoConfig.PROXY_REGION);
    }
}
