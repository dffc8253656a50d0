package dev.meridian.proxy.backend.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pools {@code pool.min_idle} keeps warm from the configuration alone. */
class MinIdlePoolsTest {
    private static MeridianConfig load(String databases) {
        return ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                pool: { min_idle: 2 }
                backends:
                  - { name: iad-1, region: iad, host: h1, user: meridian, password: pw }
                  - { name: lhr-1, region: lhr, host: h2, user: lhr_user }
                  - { name: lhr-2, region: lhr, host: h3 }
                  - { name: sin-1, region: sin, host: h4, user: meridian }
                databases:
                """ + databases, Map.of(), Path.of("."));
    }

    @Test
    void literalRulesOnBackendsWithTheirOwnUserInsideTheRulesRegions() {
        MeridianConfig config = load("""
                  orders: { regions: [lhr], backend_database: supabase_db }
                  users: { regions: [iad, sin] }
                  "app_*": { regions: [lhr] }
                  "*": { regions: [iad] }
                """);
        assertThat(MinIdle.configuredPools(config).keySet()).containsExactly(
                new WarmKey("lhr-1", "lhr_user", "supabase_db"),
                new WarmKey("iad-1", "meridian", "users"),
                new WarmKey("sin-1", "meridian", "users"));
    }

    @Test
    void aRuleWithoutRegionsCoversEveryBackend() {
        assertThat(MinIdle.configuredPools(load("  reports: {}\n")).keySet()).containsExactly(
                new WarmKey("iad-1", "meridian", "reports"),
                new WarmKey("lhr-1", "lhr_user", "reports"),
                new WarmKey("sin-1", "meridian", "reports"));
    }

    @Test
    void aLiteralRuleShadowedByAnEarlierGlobRoutesNothingAndWarmsNothing() {
        assertThat(MinIdle.configuredPools(load("  \"ord*\": { regions: [iad] }\n  orders: { regions: [lhr] }\n")))
                .isEmpty();
    }

    @Test
    void onlyGlobsMeansNothingIsKnownBeforeClientsCome() {
        assertThat(MinIdle.configuredPools(load("  \"*\": {}\n"))).isEmpty();
    }
}
