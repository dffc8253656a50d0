package dev.meridian.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.ProxyProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * fly.toml and deploy/: what Fly.io is told (ports, handlers, checks, signals, regions) must match
 * what the proxy of deploy/meridian.yaml does.
 */
class DeployFilesTest {

    /** The seed's regions: one proxy Machine and one database in each. */
    private static final Set<String> REGIONS = Set.of("iad", "lhr", "sfo", "sin");
    /** How long Meridian's drain lets sessions finish after SIGTERM. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private static final JsonNode FLY = RepoFiles.toml("fly.toml");
    private static final MeridianConfig CONFIG = DeployedConfig.load(Map.of());

    @Test
    void theDeployedConfigurationIsValidAndTakesItsRegionFromFly() {
        assertThat(DeployedConfig.load(Map.of("FLY_REGION", "sin")).region()).isEqualTo("sin");
        assertThat(CONFIG.region()).as("without FLY_REGION").isIn(REGIONS);
        assertThat(CONFIG.backends()).allSatisfy(b -> assertThat(b.password()).isNotBlank());
        assertThat(RepoFiles.text(DeployedConfig.FILE)).doesNotContain(DeployedConfig.SECRETS.get("IAD_PASSWORD"));
    }

    @Test
    void cancelsFindTheMachineOfTheirSessionThroughFlysDns() {
        MeridianConfig onFly = DeployedConfig.load(Map.of("FLY_MACHINE_ID", "1781973f6e0d89", "FLY_APP_NAME", "meridian"));
        assertThat(onFly.cluster().instance()).isEqualTo("1781973f6e0d89");
        assertThat(onFly.cluster().peersDns()).isEqualTo("vms." + FLY.path("app").asText() + ".internal");
        assertThat(CONFIG.cluster().peersDns()).as("without FLY_APP_NAME").isEqualTo(onFly.cluster().peersDns());
    }

    @Test
    void oneTcpServiceOnTheListenPortWithProxyProtocolV2() {
        JsonNode service = single(FLY.path("services"));
        assertThat(service.path("protocol").asText()).isEqualTo("tcp");
        assertThat(service.path("internal_port").asInt()).isEqualTo(CONFIG.listen().port());
        JsonNode port = single(service.path("ports"));
        assertThat(port.path("handlers")).extracting(JsonNode::asText).containsExactly("proxy_proto");
        assertThat(port.path("proxy_proto_options").path("version").asText()).isEqualTo("v2");
        // Every connection through Fly's edge carries the header, so Meridian insists on it.
        assertThat(CONFIG.listen().proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
    }

    @Test
    void tcpChecksWaitForStartupAndFlyNeverSendsMoreThanMeridianTakes() {
        JsonNode service = single(FLY.path("services"));
        JsonNode tcpCheck = single(service.path("tcp_checks"));
        assertThat(seconds(tcpCheck.path("grace_period"))).isPositive();
        assertThat(service.path("concurrency").path("hard_limit").asInt())
                .isPositive().isLessThanOrEqualTo(CONFIG.limits().maxClientConnections());
    }

    @Test
    void healthChecksAndMetricsUseTheAdminPort() {
        List<JsonNode> httpChecks = new ArrayList<>();
        FLY.path("checks").forEach(check -> {
            if (check.path("type").asText().equals("http")) {
                httpChecks.add(check);
            }
        });
        assertThat(httpChecks).singleElement().satisfies(check -> {
            assertThat(check.path("port").asInt()).isEqualTo(CONFIG.admin().port());
            assertThat(check.path("path").asText()).isEqualTo("/health");
            assertThat(seconds(check.path("grace_period"))).isPositive();
        });
        assertThat(FLY.path("metrics").path("port").asInt()).isEqualTo(CONFIG.admin().port());
        assertThat(FLY.path("metrics").path("path").asText()).isEqualTo("/metrics");
    }

    @Test
    void sigtermLeavesTimeForTheDrain() {
        assertThat(FLY.path("kill_signal").asText()).isEqualTo("SIGTERM");
        assertThat(seconds(FLY.path("kill_timeout")))
                .isGreaterThanOrEqualTo(DRAIN.plusSeconds(5).toSeconds())
                .isLessThanOrEqualTo(300); // Fly's maximum
    }

    @Test
    void blueGreenDeploysHaveTheChecksAndNoVolumesItNeeds() {
        String strategy = FLY.path("deploy").path("strategy").asText();
        assertThat(strategy).isIn("rolling", "bluegreen", "canary", "immediate");
        if (strategy.equals("bluegreen")) {
            assertThat(FLY.path("checks").size()).isPositive();
            assertThat(FLY.has("mounts")).isFalse();
        }
    }

    @Test
    void theConfigurationAndUsersFileArriveWhereTheImageLooks() {
        String configPath = Dockerfile.parse(RepoFiles.text("Dockerfile")).env("MERIDIAN_CONFIG");
        assertThat(FLY.path("env").path("MERIDIAN_CONFIG").asText()).isEqualTo(configPath);
        assertThat(fileEntry("local_path").get(configPath)).isEqualTo(DeployedConfig.FILE);
        String usersFile = RepoFiles.yaml(DeployedConfig.FILE).path("auth").path("users_file").asText();
        assertThat(fileEntry("secret_name")).containsKey(RepoFiles.defaultOf(usersFile));
        // Fly refuses [env] names starting with FLY_: it sets those itself.
        assertThat(FLY.path("env").fieldNames()).toIterable().noneMatch(name -> name.startsWith("FLY_"));
    }

    @Test
    void everySeedRegionHasAProxyMachineAndADatabase() {
        assertThat(FLY.path("primary_region").asText()).isIn(REGIONS);
        Matcher scale = Pattern.compile("fly scale count (\\d+) --region ([a-z,]+)").matcher(RepoFiles.text("fly.toml"));
        assertThat(scale.find()).as("fly.toml documents `fly scale count N --region ...`").isTrue();
        assertThat(new TreeSet<>(List.of(scale.group(2).split(",")))).isEqualTo(new TreeSet<>(REGIONS));
        // Fly's count is a total over the listed regions: one per region needs N = regions and a cap of 1 each,
        // and a first deploy would start 2 Machines in primary_region without --ha=false.
        assertThat(Integer.parseInt(scale.group(1))).isEqualTo(REGIONS.size());
        assertThat(RepoFiles.text("fly.toml")).contains(scale.group() + " --max-per-region 1").contains("fly deploy --ha=false");
        assertThat(CONFIG.backends()).extracting(BackendConfig::region).containsExactlyInAnyOrderElementsOf(REGIONS);
        for (BackendConfig backend : CONFIG.backends()) {
            JsonNode postgres = RepoFiles.toml("deploy/postgres-" + backend.region() + "/fly.toml");
            assertThat(postgres.path("primary_region").asText()).isEqualTo(backend.region());
            assertThat(backend.host()).isEqualTo(postgres.path("app").asText() + ".internal");
            assertThat(backend.port()).isEqualTo(5432);
        }
    }

    /** Every client runs as the backend's configured user: an unprivileged role the database creates (issue #16). */
    @Test
    void theProxyLogsInAsTheUnprivilegedRoleEachDatabaseCreates() {
        for (BackendConfig backend : DeployedConfig.load(Map.of()).backends()) {
            assertThat(backend.user()).as(backend.name()).isEqualTo("meridian_app");
            JsonNode postgres = RepoFiles.toml("deploy/postgres-" + backend.region() + "/fly.toml");
            JsonNode files = postgres.path("files");
            assertThat(files.get(0).path("guest_path").asText()).isEqualTo("/docker-entrypoint-initdb.d/create-app-role.sh");
            assertThat(RepoFiles.path(files.get(0).path("local_path").asText())).exists();
        }
        assertThat(RepoFiles.text("deploy/postgres-init/create-app-role.sh")).contains("NOSUPERUSER");
    }

    @Test
    void eachDatabaseKeepsItsDataOnAVolumeAndStaysPrivate() {
        for (String region : REGIONS) {
            JsonNode postgres = RepoFiles.toml("deploy/postgres-" + region + "/fly.toml");
            assertThat(postgres.path("mounts").path("destination").asText()).isEqualTo("/data");
            assertThat(postgres.path("env").path("PGDATA").asText()).startsWith("/data/");
            assertThat(postgres.path("processes").path("app").asText()).contains("cluster_name=" + region);
            assertThat(postgres.path("kill_signal").asText()).as("fast shutdown").isEqualTo("SIGINT");
            assertThat(postgres.has("services")).as("no public service").isFalse();
        }
    }

    /** guest_path → the value of {@code source} for each [[files]] entry that has one. */
    private static Map<String, String> fileEntry(String source) {
        Map<String, String> entries = new HashMap<>();
        FLY.path("files").forEach(file -> {
            if (file.has(source)) {
                entries.put(file.path("guest_path").asText(), file.path(source).asText());
            }
        });
        return entries;
    }

    private static JsonNode single(JsonNode array) {
        assertThat(StreamSupport.stream(array.spliterator(), false)).hasSize(1);
        return array.get(0);
    }

    /** A Fly duration: seconds as a number, or a string like "20s" or "1m". */
    private static long seconds(JsonNode value) {
        if (value.isNumber()) {
            return value.asLong();
        }
        Matcher m = Pattern.compile("(\\d+)(s|m)").matcher(value.asText());
        assertThat(m.matches()).as("duration " + value).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("m") ? 60 : 1);
    }
}
