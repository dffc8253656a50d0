package dev.meridian.proxy.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.proxy.backend.health.HealthReport;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesRouteTest {
    private static final MeridianConfig CONFIG = ConfigLoader.parse("""
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-1, region: iad, host: iad.internal, role: auto, user: postgres, password: hunter2 }
              - { name: lhr-1, region: lhr, host: lhr.internal, role: replica }
            databases:
              orders: { regions: [lhr], backend_database: supabase_db }
              "*": { prefer: local }
            """, Map.of(), Path.of("."));

    private static JsonNode render(HealthReport report, boolean draining) throws Exception {
        return new ObjectMapper().readTree(RoutesRoute.render(CONFIG, report, draining));
    }

    @Test
    void listsBackendsWithRegionRoleHealthAndRtt() throws Exception {
        JsonNode json = render(HealthReport.initial(CONFIG.backends(), Instant.EPOCH), false);
        assertThat(json.get("region").asText()).isEqualTo("iad");
        assertThat(json.get("draining").asBoolean()).isFalse();
        JsonNode iad = json.get("backends").get(0);
        assertThat(iad.get("name").asText()).isEqualTo("iad-1");
        assertThat(iad.get("region").asText()).isEqualTo("iad");
        assertThat(iad.get("role").asText()).as("auto, not probed yet").isEqualTo("unknown");
        assertThat(iad.get("configured_role").asText()).isEqualTo("auto");
        assertThat(iad.get("up").asBoolean()).isTrue();
        assertThat(iad.get("state").asText()).isEqualTo("up");
        assertThat(iad.get("rtt_seconds").isNull()).isTrue();
        assertThat(iad.get("since").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(json.get("backends").get(1).get("role").asText()).isEqualTo("replica");
    }

    @Test
    void listsDatabasesWithTheirAllowedRegions() throws Exception {
        JsonNode json = render(HealthReport.initial(CONFIG.backends(), Instant.EPOCH), true);
        assertThat(json.get("draining").asBoolean()).isTrue();
        JsonNode orders = json.get("databases").get(0);
        assertThat(orders.get("pattern").asText()).isEqualTo("orders");
        assertThat(orders.get("restricted").asBoolean()).isTrue();
        assertThat(orders.get("regions")).extracting(JsonNode::asText).containsExactly("lhr");
        assertThat(orders.get("backend_database").asText()).isEqualTo("supabase_db");
        assertThat(orders.get("available").asBoolean()).isTrue();
        JsonNode any = json.get("databases").get(1);
        assertThat(any.get("restricted").asBoolean()).isFalse();
        assertThat(any.get("regions")).extracting(JsonNode::asText).containsExactly("iad", "lhr");
        assertThat(any.get("prefer").asText()).isEqualTo("local");
        assertThat(any.get("backend_database").isNull()).isTrue();
    }

    @Test
    void showsNoHostFieldsAndNoSecrets() {
        String body = RoutesRoute.render(CONFIG, HealthReport.initial(CONFIG.backends(), Instant.EPOCH), false);
        assertThat(body).doesNotContain("hunter2", "iad.internal", "postgres");
    }
}
