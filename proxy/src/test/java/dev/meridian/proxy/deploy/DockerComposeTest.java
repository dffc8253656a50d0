package dev.meridian.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.proxy.auth.UserSecret;
import dev.meridian.proxy.auth.UsersFile;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, which cannot run here: every file it mounts exists, the proxy's file
 * passes validation with the environment compose gives it, and the services agree on names,
 * ports and regions.
 */
class DockerComposeTest {

    private static final JsonNode SERVICES = RepoFiles.yaml("docker-compose.yml").path("services");
    private static final JsonNode PROXY = SERVICES.path("meridian");
    private static final String CONFIG_PATH = Dockerfile.parse(RepoFiles.text("Dockerfile")).env("MERIDIAN_CONFIG");

    @Test
    void threeRegionsAReplicaTheProxyPrometheusAndGrafana() {
        assertThat(SERVICES.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "pg-iad", "pg-iad-replica", "pg-lhr", "pg-sin", "meridian", "prometheus", "grafana");
        assertThat(SERVICES.path("pg-iad-replica").path("environment").path("PRIMARY_HOST").asText())
                .isEqualTo("pg-iad");
        assertThat(PROXY.path("depends_on").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("pg-iad", "pg-iad-replica", "pg-lhr", "pg-sin");
    }

    @Test
    void theProxyIsBuiltFromThisRepositoryAndPublishedOnLoopback() {
        assertThat(PROXY.path("build").asText()).isEqualTo(".");
        assertThat(RepoFiles.path("Dockerfile")).exists();
        MeridianConfig config = proxyConfig();
        assertThat(PROXY.path("ports")).extracting(JsonNode::asText).containsExactly(
                "127.0.0.1:6432:" + config.listen().port(), "127.0.0.1:9187:" + config.admin().port());
    }

    @Test
    void everyMountedFileOrScriptExists() {
        SERVICES.properties().forEach(service -> mounts(service.getValue()).forEach((host, container) -> {
            if (host.startsWith("./") && !host.startsWith("./grafana/")) {
                assertThat(RepoFiles.path(host)).as(service.getKey() + " mounts " + host).exists();
            }
        }));
        assertThat(mounts(PROXY)).containsValue(CONFIG_PATH);
    }

    @Test
    void theLoginTheComposeFileDocumentsIsInTheUsersFile() throws IOException {
        Matcher documented = Pattern.compile("user=(\\w+) password=(\\w+)")
                .matcher(RepoFiles.text("docker-compose.yml"));
        assertThat(documented.find()).isTrue();
        UsersFile users = new UsersFile(RepoFiles.path(hostPathOf(PROXY, "/etc/meridian/users.txt")));
        assertThat(users.find(documented.group(1))).get().isInstanceOfSatisfying(UserSecret.Plain.class,
                plain -> assertThat(plain.password()).isEqualTo(documented.group(2)));
    }

    @Test
    void eachBackendIsAServiceOfItsRegionHoldingTheDatabasesRoutedThere() {
        MeridianConfig config = proxyConfig();
        for (BackendConfig backend : config.backends()) {
            JsonNode service = SERVICES.path(backend.host());
            assertThat(service.isMissingNode()).as("service " + backend.host()).isFalse();
            assertThat(backend.port()).isEqualTo(5432);
            assertThat(clusterName(service)).startsWith(backend.region());
        }
        for (DatabaseRule rule : config.databases()) {
            if (rule.regions().size() == 1) {
                String region = rule.regions().get(0);
                assertThat(SERVICES.path("pg-" + region).path("environment").path("POSTGRES_DB").asText())
                        .as("pg-%s creates %s", region, rule.pattern()).isEqualTo(rule.pattern());
            }
        }
    }

    /** Every client runs as the backend's configured user: never the superuser (issue #16). */
    @Test
    void theProxyLogsInAsTheUnprivilegedRoleEachPrimaryCreates() {
        for (BackendConfig backend : proxyConfig().backends()) {
            assertThat(backend.user()).as(backend.name()).isEqualTo("meridian_app");
        }
        for (String primary : new String[] {"pg-iad", "pg-lhr", "pg-sin"}) {
            assertThat(mounts(SERVICES.path(primary))).as(primary)
                    .containsEntry("./docker/postgres/create-app-role.sh", "/docker-entrypoint-initdb.d/create-app-role.sh");
        }
        assertThat(RepoFiles.text("docker/postgres/create-app-role.sh")).contains("NOSUPERUSER");
        assertThat(PROXY.path("environment").path("IAD_PASSWORD").asText()).contains("MERIDIAN_ROLE_PASSWORD");
    }

    @Test
    void prometheusScrapesTheProxyAdminPort() {
        String file = hostPathOf(SERVICES.path("prometheus"), "/etc/prometheus/prometheus.yml");
        JsonNode scrape = RepoFiles.yaml(file).path("scrape_configs").get(0);
        assertThat(scrape.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(scrape.path("static_configs").get(0).path("targets")).extracting(JsonNode::asText)
                .containsExactly("meridian:" + proxyConfig().admin().port());
    }

    @Test
    void grafanaMountsTheRepositorysProvisioningAndDashboards() {
        Map<String, String> mounts = mounts(SERVICES.path("grafana"));
        assertThat(mounts).containsEntry("./grafana/provisioning", "/etc/grafana/provisioning");
        assertThat(mounts).containsKey("./grafana/dashboards");
        assertThat(RepoFiles.environment(SERVICES.path("grafana")))
                .containsEntry("PROMETHEUS_URL", "http://prometheus:9090");
    }

    @Test
    void grafanasProvisioningMatchesTheMounts() throws IOException {
        assumeTrue(Files.isDirectory(RepoFiles.path("grafana")),
                "grafana/ is not in this tree yet; its mounts are checked once it lands");
        Map<String, String> mounts = mounts(SERVICES.path("grafana"));
        mounts.keySet().forEach(host -> assertThat(RepoFiles.path(host)).as(host).isDirectory());
        for (JsonNode provider : provisioned("dashboards", "providers")) {
            assertThat(provider.path("options").path("path").asText())
                    .startsWith(mounts.get("./grafana/dashboards"));
        }
        Map<String, String> env = RepoFiles.environment(SERVICES.path("grafana"));
        for (JsonNode datasource : provisioned("datasources", "datasources")) {
            Matcher variable = Pattern.compile("\\$\\{(\\w+)}").matcher(datasource.path("url").asText());
            if (variable.find()) {
                assertThat(env).as("grafana's environment").containsKey(variable.group(1));
            }
        }
    }

    /** The {@code key} entries of every YAML file in grafana/provisioning/{@code kind}. */
    private static List<JsonNode> provisioned(String kind, String key) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(RepoFiles.path("grafana/provisioning/" + kind))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).toList()) {
                RepoFiles.yaml(file).path(key).forEach(entries::add);
            }
        }
        return entries;
    }

    /** The proxy's configuration as its container reads it, with compose's environment. */
    private static MeridianConfig proxyConfig() {
        Map<String, String> env = new HashMap<>(RepoFiles.environment(PROXY));
        env.put("MERIDIAN_USERS_FILE", RepoFiles.path(hostPathOf(PROXY, "/etc/meridian/users.txt")).toString());
        return ConfigLoader.load(RepoFiles.path(hostPathOf(PROXY, CONFIG_PATH)), env);
    }

    private static String clusterName(JsonNode service) {
        for (JsonNode arg : service.path("command")) {
            if (arg.asText().startsWith("cluster_name=")) {
                return arg.asText().substring("cluster_name=".length());
            }
        }
        return service.path("environment").path("CLUSTER_NAME").asText();
    }

    private static String hostPathOf(JsonNode service, String containerPath) {
        return mounts(service).entrySet().stream().filter(e -> e.getValue().equals(containerPath))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + containerPath));
    }

    /** Bind mounts as host path → container path ("./a:/b:ro"); named volumes too. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode volume : service.path("volumes")) {
            List<String> parts = List.of(volume.asText().split(":"));
            mounts.put(parts.get(0), parts.get(1));
        }
        return mounts;
    }
}
