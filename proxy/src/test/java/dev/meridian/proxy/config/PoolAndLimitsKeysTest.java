package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pool.min_idle} and {@code limits.idle_transaction_timeout}, and what min_idle reads of database rules. */
class PoolAndLimitsKeysTest {

    @Test
    void bothAreOffByDefault() {
        MeridianConfig config = TestYaml.base().load();
        assertThat(config.pool().minIdle()).isZero();
        assertThat(config.limits().idleTransactionTimeout()).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest(name = "idle_transaction_timeout: {0}")
    @CsvSource({"30s, 30000", "500ms, 500", "5m, 300000", "0, 0", "0s, 0", "2, 2000"})
    void idleTransactionTimeoutIsADuration(String text, long millis) {
        MeridianConfig config = TestYaml.base().set("limits", "{ idle_transaction_timeout: " + text + " }").load();
        assertThat(config.limits().idleTransactionTimeout()).isEqualTo(Duration.ofMillis(millis));
        assertThat(config.limits().startupTimeout()).isEqualTo(LimitsConfig.DEFAULT.startupTimeout());
    }

    @Test
    void minIdleIsBoundBesideTheOtherPoolKeys() {
        MeridianConfig config = TestYaml.base()
                .set("pool", "{ max_per_backend: 20, min_idle: 3, idle_timeout: 0 }").load();
        assertThat(config.pool()).isEqualTo(new PoolConfig(20, Duration.ZERO, "DISCARD ALL", 3));
    }

    @Test
    void minIdleMayEqualTheCap() {
        assertThat(TestYaml.base().set("pool", "{ max_per_backend: 4, min_idle: 4 }").load().pool().minIdle())
                .isEqualTo(4);
    }

    @Test
    void aMisspelledKeyIsNamedWithItsPath() {
        List<String> problems = TestYaml.base().set("limits", "{ idle_in_transaction_timeout: 5s }").problems();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("limits.idle_in_transaction_timeout: unknown key");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {
        "users, users",
        "*, null",
        "user?, null",
        "db[12], null",
        "'a\\*b', a*b",
        "'we\\[ird', we[ird",
        "'back\\\\slash', back\\slash"})
    void aRuleNamesOneDatabaseOnlyWithoutWildcards(String pattern, String exact) {
        assertThat(new DatabaseRule(pattern, List.of(), Preference.NEAREST, null).exactName()).isEqualTo(exact);
        if (exact != null) {
            assertThat(Glob.matches(pattern, exact)).isTrue();
        }
    }
}
