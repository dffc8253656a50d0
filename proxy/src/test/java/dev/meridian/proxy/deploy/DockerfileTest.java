package dev.meridian.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.deploy.Dockerfile.Instruction;
import dev.meridian.proxy.localpg.ProcessResult;
import dev.meridian.proxy.localpg.ProcessRunner;
import dev.meridian.proxy.server.MeridianServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, which no test can build here: its text is checked against what the build
 * produces and what the proxy listens on, and its HEALTHCHECK is run against a real proxy.
 */
class DockerfileTest {

    private static final Dockerfile DOCKERFILE = Dockerfile.parse(RepoFiles.text("Dockerfile"));

    @Test
    void buildsWithMavenThenRunsOnAJre() {
        assertThat(DOCKERFILE.all("FROM")).extracting(Instruction::arguments)
                .containsExactly("maven:3.9-eclipse-temurin-21 AS build", "eclipse-temurin:21-jre");
        assertThat(DOCKERFILE.all("RUN").get(0).arguments()).contains("mvn ").contains(" package");
    }

    /**
     * Maven reads every module the parent pom lists, even with -pl: each must be copied, and
     * -Dmaven.test.skip=true would skip the protocol test-jar the proxy's tests depend on.
     */
    @Test
    void copiesEveryModuleOfTheParentPomAndSkipsOnlyRunningTests() {
        List<String> copied = DOCKERFILE.all("COPY").stream().filter(c -> c.stage() == 0)
                .map(c -> c.arguments().split("\\s+")[0]).toList();
        java.util.regex.Matcher modules = java.util.regex.Pattern.compile("<module>([^<]+)</module>")
                .matcher(RepoFiles.text("pom.xml"));
        int count = 0;
        while (modules.find()) {
            count++;
            assertThat(copied).as("the build stage copies module " + modules.group(1)).contains(modules.group(1) + "/");
        }
        assertThat(count).isPositive();
        String run = DOCKERFILE.all("RUN").get(0).arguments();
        assertThat(run).contains("-DskipTests").doesNotContain("maven.test.skip");
    }

    @Test
    void copiesTheJarTheBuildMakes() {
        assertThat(RepoFiles.text("proxy/pom.xml")).contains("<finalName>meridian</finalName>");
        assertThat(DOCKERFILE.runtime("COPY")).extracting(Instruction::arguments)
                .contains("--from=build /src/proxy/target/meridian.jar /opt/meridian/meridian.jar");
        assertThat(DOCKERFILE.runtime("ENTRYPOINT")).extracting(Instruction::arguments)
                .containsExactly("[\"java\", \"-jar\", \"/opt/meridian/meridian.jar\"]");
    }

    @Test
    void theBuildContextKeepsWhatTheBuildCopies() {
        List<String> ignore = RepoFiles.text(".dockerignore").lines().toList();
        for (Instruction copy : DOCKERFILE.all("COPY")) {
            if (copy.stage() == 0) {
                String source = copy.arguments().split("\\s+")[0];
                assertThat(ignore).as(".dockerignore re-includes " + source).contains("!" + source);
            }
        }
    }

    @Test
    void runsAsAnUnprivilegedUserItCreates() {
        List<Instruction> users = DOCKERFILE.runtime("USER");
        assertThat(users).hasSize(1);
        String user = users.get(0).arguments();
        assertThat(user).isNotIn("root", "0", "0:0");
        assertThat(DOCKERFILE.runtime("RUN")).anySatisfy(run -> assertThat(run.arguments()).contains("useradd")
                .contains(" " + user));
    }

    @Test
    void exposesTheProxyAndAdminPortsOfTheDeployedConfiguration() {
        var config = DeployedConfig.load(Map.of());
        assertThat(DOCKERFILE.runtime("EXPOSE")).extracting(Instruction::arguments)
                .containsExactly(config.listen().port() + " " + config.admin().port());
        assertThat(config.listen().port()).isEqualTo(5432);
        assertThat(config.admin().port()).isEqualTo(9187);
    }

    @Test
    void readsItsConfigurationFromTheDocumentedPathAndSizesTheJvmForContainers() {
        assertThat(DOCKERFILE.env("MERIDIAN_CONFIG")).isEqualTo("/etc/meridian/meridian.yaml");
        assertThat(DOCKERFILE.env("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=")
                .contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(DOCKERFILE.runtime("CMD")).extracting(Instruction::arguments).containsExactly("[\"run\"]");
    }

    @Test
    void theHealthcheckPassesAgainstARunningProxy() throws Exception {
        int admin = freePort();
        String yaml = """
                listen: { host: 127.0.0.1, port: %d }
                admin: { host: 127.0.0.1, port: %d }
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: 127.0.0.1, port: 1 } ]
                databases: { "*": {} }
                """.formatted(freePort(), admin);
        try (MeridianServer proxy = new MeridianServer(ConfigLoader.parse(yaml, Map.of(), null)).start()) {
            ProcessResult check = runHealthcheck(proxy.admin().port());
            assertThat(check.exitCode()).as(check.describeOutput()).isZero();
        }
    }

    @Test
    void theHealthcheckFailsWhenNothingAnswers() throws IOException {
        assertThat(runHealthcheck(freePort()).exitCode()).isNotZero();
    }

    /** The HEALTHCHECK's exec-form command, run by bash as Docker would, aimed at {@code port}. */
    private static ProcessResult runHealthcheck(int port) throws IOException {
        String healthcheck = DOCKERFILE.runtime("HEALTHCHECK").get(0).arguments();
        assertThat(healthcheck).contains("/dev/tcp/127.0.0.1/9187").contains("GET /health ");
        String[] command = new ObjectMapper().readValue(
                healthcheck.substring(healthcheck.indexOf("CMD [") + 4), String[].class);
        assertThat(command[0]).isEqualTo("bash");
        command[command.length - 1] = command[command.length - 1].replace("/9187", "/" + port);
        return ProcessRunner.asCurrentUser().withTimeout(Duration.ofSeconds(10)).run(Arrays.asList(command), null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
