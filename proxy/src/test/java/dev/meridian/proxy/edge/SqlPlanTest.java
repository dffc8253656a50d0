package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlPlanTest {
    private static SqlRequest request(String body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Neon-Connection-String", "postgres://u:p@h/d");
        return SqlRequest.parse(all::get, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSingleStatementRunsAloneInItsImplicitTransaction() {
        List<SqlPlan.Step> steps = SqlPlan.steps(request("{\"query\":\"select 1\"}", Map.of()), null);
        assertThat(steps).extracting(SqlPlan.Step::sql).containsExactly("select 1");
    }

    @Test
    void aBatchIsWrappedInItsTransaction() {
        List<SqlPlan.Step> steps = SqlPlan.steps(request("{\"queries\":[{\"query\":\"a\"},{\"query\":\"b\"}]}",
                Map.of("Neon-Batch-Isolation-Level", "Serializable")), null);
        assertThat(steps).extracting(SqlPlan.Step::sql)
                .containsExactly("BEGIN ISOLATION LEVEL SERIALIZABLE", "a", "b", "COMMIT");
        assertThat(steps).extracting(SqlPlan.Step::visible).containsExactly(false, true, true, false);
    }

    @Test
    void aTokenSetsRoleAndClaimsAsParametersInsideTheTransaction() {
        List<SqlPlan.Step> steps = SqlPlan.steps(request("{\"query\":\"select 1\"}", Map.of()),
                new JwtVerifier.Verified("web_user\"; drop table x; --", "{\"sub\":\"1\"}"));
        assertThat(steps).extracting(SqlPlan.Step::sql).containsExactly("BEGIN", SqlPlan.SET_JWT, "select 1", "COMMIT");
        assertThat(steps.get(1).params()).containsExactly("web_user\"; drop table x; --", "{\"sub\":\"1\"}");
    }
}
