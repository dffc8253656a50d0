package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** target: auto on a database rule, health.max_replica_lag and health.causal_wait. */
class ReadRoutingConfigTest {
    private static String yaml(String health, String appRule) {
        return """
                listen: { host: 127.0.0.1, port: 6432 }
                region: iad
                auth: { method: trust }
                %s
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: 5432 }
                  - { name: iad-2, region: iad, host: 127.0.0.1, port: 5433, role: replica }
                databases:
                  app: %s
                  "*": { regions: [iad] }
                """.formatted(health, appRule);
    }

    private static MeridianConfig load(String health, String appRule) throws Exception {
        return ConfigLoader.parse(yaml(health, appRule), Map.of(), Path.of("."));
    }

    @Test
    void targetDefaultsToReadWriteAndAcceptsAuto() throws Exception {
        MeridianConfig c = load("", "{ regions: [iad], pool_mode: transaction, target: auto }");
        assertThat(c.databases().get(0).target()).isEqualTo(RuleTarget.AUTO);
        assertThat(c.databases().get(1).target()).isEqualTo(RuleTarget.READ_WRITE);
        assertThat(ConfigWarnings.of(c)).noneMatch(w -> w.contains("target"));
    }

    @Test
    void aBadTargetNamesItsPathAndTheChoices() {
        assertThatThrownBy(() -> load("", "{ target: nearest }")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).contains(
                        "databases.app.target: must be one of read-write, read-only, auto (got \"nearest\")"));
    }

    @Test
    void autoOnASessionPooledRuleWarnsThatItBehavesAsReadWrite() throws Exception {
        MeridianConfig c = load("", "{ regions: [iad], target: auto }");
        assertThat(ConfigWarnings.of(c)).anyMatch(w -> w.startsWith("databases.app.target: auto routes each")
                && w.contains("behaves as read-write") && w.contains("pool_mode: transaction"));
    }

    @Test
    void replicaLagAndCausalWaitHaveDefaultsAndCanBeSet() throws Exception {
        HealthConfig d = load("", "{ target: read-only }").health();
        assertThat(d.maxReplicaLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.causalWait()).isEqualTo(Duration.ofMillis(50));
        HealthConfig h = load("health: { max_replica_lag: 500ms, causal_wait: 0 }", "{ target: read-only }").health();
        assertThat(h.maxReplicaLag()).isEqualTo(Duration.ofMillis(500));
        assertThat(h.causalWait()).isZero();
    }

    @Test
    void aBadCausalWaitNamesItsPath() {
        assertThatThrownBy(() -> load("health: { causal_wait: soon }", "{ }")).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.problems()).anyMatch(p -> p.startsWith("health.causal_wait:")));
    }
}
