package dev.meridian.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and provisioning files are well-formed for Grafana; whether their queries
 * return data is {@code PrometheusDashboardIntegrationTests}' job.
 */
class GrafanaDashboardTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void dashboardsAreModernGrafanaJsonWithTheirVariables() {
        for (Path file : DashboardQueries.dashboards()) {
            JsonNode d = DashboardQueries.read(file);
            assertThat(d.path("schemaVersion").asInt()).as("%s schemaVersion", file).isGreaterThanOrEqualTo(38);
            assertThat(d.path("uid").asText()).as("%s uid", file).isNotBlank();
            assertThat(d.path("title").asText()).as("%s title", file).isNotBlank();
            assertThat(DashboardQueries.variables(d)).as("%s variables", file)
                    .contains("datasource", "backend_region", "database");
        }
    }

    @Test
    void everyPanelQueriesTheChosenDataSourceAndHasAPlaceOnTheGrid() {
        for (Path file : DashboardQueries.dashboards()) {
            Set<Integer> ids = new HashSet<>();
            DashboardQueries.panels(DashboardQueries.read(file).path("panels"), p -> {
                String title = file.getFileName() + " '" + p.path("title").asText() + "'";
                assertThat(ids.add(p.path("id").asInt())).as("%s has a unique id", title).isTrue();
                assertThat(p.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
                assertThat(p.path("gridPos").path("w").asInt()).as(title).isBetween(1, 24);
                assertThat(p.path("targets")).as(title).isNotEmpty();
                p.path("targets").forEach(t -> {
                    assertThat(t.path("refId").asText()).as(title).isNotBlank();
                    assertThat(t.path("expr").asText()).as(title).isNotBlank();
                });
            });
        }
    }

    @Test
    void queriesUseOnlyTheDashboardsOwnVariables() {
        for (DashboardQueries.Query q : DashboardQueries.all()) {
            assertThat(q.promql()).as(q.where()).doesNotContain("$");
        }
    }

    @Test
    void everyContractMetricIsOnADashboard() {
        List<String> exprs = new ArrayList<>();
        DashboardQueries.all().forEach(q -> exprs.add(q.promql()));
        String all = String.join("\n", exprs);
        for (String series : MetricsContract.SERIES.keySet()) {
            assertThat(all).as("a dashboard shows %s", series).contains(series);
        }
    }

    @Test
    void provisioningLoadsTheDashboardsAndAPrometheusDataSource() throws IOException {
        Path grafana = DashboardQueries.grafanaDir();
        JsonNode ds = YAML.readTree(grafana.resolve("provisioning/datasources/prometheus.yaml").toFile());
        assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(ds.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");
        JsonNode dash = YAML.readTree(grafana.resolve("provisioning/dashboards/meridian.yaml").toFile());
        assertThat(dash.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = dash.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).isNotBlank();
    }

    @Test
    void grafanaVariablesBecomeAllAndTheWindowBecomesFixed() {
        assertThat(DashboardQueries.promql(
                "rate(x{a=~\"$backend_region\", b=~\"${database:regex}\"}[$__rate_interval])", Set.of("backend_region", "database")))
                .isEqualTo("rate(x{a=~\".*\", b=~\".*\"}[30s])");
        assertThat(DashboardQueries.labelValuesSelector("label_values(m{a=\"b\"}, backend_region)")).isEqualTo("m{a=\"b\"}");
    }
}
