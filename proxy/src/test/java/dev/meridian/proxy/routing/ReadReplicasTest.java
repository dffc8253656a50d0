package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Router.replicas: which replicas may take a read-only unit of a target: auto session. */
class ReadReplicasTest {
    private static final MeridianConfig CONFIG = ConfigLoader.parse("""
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-p, region: iad, host: h, role: primary }
              - { name: iad-r, region: iad, host: h, role: replica }
              - { name: lhr-r, region: lhr, host: h, role: replica }
              - { name: sin-r, region: sin, host: h, role: replica }
              - { name: sin-a, region: sin, host: h, role: auto }
            databases:
              app: { regions: [iad, sin], pool_mode: transaction, target: auto }
              "*": { pool_mode: transaction, target: auto }
            """, Map.of(), null);
    private static final Router ROUTER = Router.open(CONFIG);

    private static List<String> replicas(String database, String pinnedRegion, HealthSnapshot health) {
        Map<String, String> options = pinnedRegion == null ? Map.of() : Map.of("region", pinnedRegion);
        RouteDecision d = ROUTER.route(RouteRequest.of(database, null, options), health);
        assertThat(d.target()).isEqualTo(SessionTarget.AUTO);
        assertThat(d.ranked().get(0).health().isReplica()).as("the session itself opens on a primary").isFalse();
        return ROUTER.replicas(d, health).stream().map(c -> c.backend().name()).toList();
    }

    @Test
    void onlyReplicasInsideTheDatabasesRegionsNearestFirst() {
        HealthSnapshot up = HealthSnapshot.assumeUp(CONFIG.backends());
        assertThat(replicas("app", "sin", up)).containsExactly("sin-r", "iad-r");
        assertThat(replicas("app", "lhr", up)).doesNotContain("lhr-r").containsExactly("iad-r", "sin-r");
        assertThat(replicas("other", "lhr", up)).containsExactly("lhr-r", "iad-r", "sin-r");
    }

    @Test
    void aDownReplicaAndABackendNotSeenInRecoveryTakeNoReads() {
        Map<String, BackendHealth> health = new HashMap<>();
        CONFIG.backends().forEach(b -> health.put(b.name(), new BackendHealth(true, b.role(), null)));
        health.put("sin-r", new BackendHealth(false, BackendRole.REPLICA, null));
        assertThat(replicas("app", "sin", HealthSnapshot.of(health))).containsExactly("iad-r");
        health.put("sin-a", new BackendHealth(true, BackendRole.REPLICA, null));
        assertThat(replicas("app", "sin", HealthSnapshot.of(health))).containsExactly("sin-a", "iad-r");
    }
}
