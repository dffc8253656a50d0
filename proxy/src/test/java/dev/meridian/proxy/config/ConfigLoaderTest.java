package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    static String designExample(Path dir) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/design-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@DIR@", dir.toString());
        }
    }

    static void createReferencedFiles(Path dir) throws IOException {
        for (String name : List.of("tls.crt", "tls.key", "ca.pem", "GeoLite2-City.mmdb", "users.txt")) {
            Files.writeString(dir.resolve(name), "x");
        }
    }

    @Test
    void loadsTheDesignExample() throws IOException {
        createReferencedFiles(dir);
        MeridianConfig config = ConfigLoader.parse(
                designExample(dir), Map.of("IAD_PASSWORD", "s3cret"), dir);

        assertThat(config.listen()).isEqualTo(new ListenConfig("0.0.0.0", 5432, ProxyProtocol.OFF));
        assertThat(config.admin()).isEqualTo(new AdminConfig("0.0.0.0", 9187, List.of("ops")));
        assertThat(config.region()).isEqualTo("iad");
        assertThat(config.tls()).isEqualTo(
                new TlsConfig(dir.resolve("tls.crt"), dir.resolve("tls.key"), ClientTlsMode.PREFER));
        assertThat(config.regions()).containsEntry("iad", new Coordinates(38.94, -77.46))
                .containsKeys("sfo", "lhr", "sin").hasSize(FlyRegions.all().size());
        assertThat(config.backends()).containsExactly(
                new BackendConfig("iad-1", "iad", "iad.supa-db.internal", 5432, BackendRole.AUTO,
                        "postgres", "s3cret", new BackendTls(BackendTlsMode.PREFER, null)),
                new BackendConfig("sfo-1", "sfo", "sfo.supa-db.internal", 5432, BackendRole.REPLICA,
                        null, null, BackendTls.DEFAULT),
                new BackendConfig("lhr-1", "lhr", "lhr.supa-db.internal", 5432, BackendRole.PRIMARY,
                        null, null, new BackendTls(BackendTlsMode.VERIFY_FULL, dir.resolve("ca.pem"))));
        assertThat(config.databases()).containsExactly(
                new DatabaseRule("users", List.of("iad"), Preference.NEAREST, null),
                new DatabaseRule("products", List.of("sfo"), Preference.NEAREST, null),
                new DatabaseRule("orders", List.of("lhr"), Preference.NEAREST, "supabase_db"),
                new DatabaseRule("*", List.of(), Preference.NEAREST, null));
        assertThat(config.geo()).isEqualTo(new GeoConfig(dir.resolve("GeoLite2-City.mmdb"),
                List.of(new NetworkRule(Cidr.parse("203.0.113.0/24"), "sin"))));
        assertThat(config.auth()).isEqualTo(
                new AuthConfig(dir.resolve("users.txt"), null, AuthMethod.SCRAM_SHA_256));
        assertThat(config.health()).isEqualTo(HealthConfig.DEFAULT);
        assertThat(config.pool()).isEqualTo(PoolConfig.DEFAULT);
        assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULT);
        assertThat(config.limits().maxMessageBytes()).isEqualTo(1_073_741_824L);
    }

    @Test
    void designExampleTakesRegionAndUserFromTheEnvironment() throws IOException {
        createReferencedFiles(dir);
        MeridianConfig config = ConfigLoader.parse(designExample(dir),
                Map.of("IAD_PASSWORD", "pw", "FLY_REGION", "lhr", "PGUSER", "meridian"), dir);

        assertThat(config.region()).isEqualTo("lhr");
        assertThat(config.backends().get(0).user()).isEqualTo("meridian");
    }

    @Test
    void minimalConfigGetsTheDocumentedDefaults() {
        MeridianConfig config = TestYaml.base().load();

        assertThat(config.listen()).isEqualTo(ListenConfig.DEFAULT);
        assertThat(config.admin()).isEqualTo(new AdminConfig("0.0.0.0", 9187, List.of()));
        assertThat(config.tls()).isNull();
        assertThat(config.regions()).isEqualTo(FlyRegions.all());
        assertThat(config.backends()).containsExactly(new BackendConfig("iad-1", "iad",
                "iad.internal", 5432, BackendRole.AUTO, null, null,
                new BackendTls(BackendTlsMode.PREFER, null)));
        assertThat(config.geo()).isEqualTo(new GeoConfig(null, List.of()));
        assertThat(config.auth()).isEqualTo(new AuthConfig(null, null, AuthMethod.TRUST));
        assertThat(config.health()).isEqualTo(new HealthConfig(Duration.ofSeconds(2),
                Duration.ofSeconds(1), 2, 3, Duration.ofSeconds(10)));
        assertThat(config.pool()).isEqualTo(new PoolConfig(100, Duration.ofMinutes(5), "DISCARD ALL", 0));
        assertThat(config.limits()).isEqualTo(
                new LimitsConfig(10_000, Duration.ofSeconds(10), 1L << 30, Duration.ZERO));
    }

    @Test
    void databaseRulesKeepFileOrderAndFirstMatchWins() {
        // Names deliberately out of alphabetical and hash order.
        List<String> names = List.of("zeta", "user?", "users", "alpha", "m*", "[a-c]x", "*");
        String rules = names.stream().map(n -> "\"" + n + "\": {}").collect(Collectors.joining(", "));
        MeridianConfig config = TestYaml.base().set("databases", "{ " + rules + " }").load();

        assertThat(config.databases()).extracting(DatabaseRule::pattern).containsExactlyElementsOf(names);
        assertThat(config.routeFor("users")).map(DatabaseRule::pattern).contains("user?");
        assertThat(config.routeFor("usersx")).map(DatabaseRule::pattern).contains("*");
        assertThat(config.routeFor("main")).map(DatabaseRule::pattern).contains("m*");
        assertThat(config.routeFor("bx")).map(DatabaseRule::pattern).contains("[a-c]x");
        assertThat(config.routeFor("zeta")).map(DatabaseRule::pattern).contains("zeta");
    }

    @Test
    void manyRulesKeepTheirOrder() {
        List<String> names = IntStream.range(0, 40).mapToObj(i -> "db" + ((i * 17) % 40)).toList();
        String block = names.stream().map(n -> "\n  " + n + ": {}").collect(Collectors.joining());
        MeridianConfig config = TestYaml.base().set("databases", block).load();

        assertThat(config.databases()).extracting(DatabaseRule::pattern).containsExactlyElementsOf(names);
    }

    @Test
    void routeForIsEmptyWithoutADefaultRule() {
        MeridianConfig config = TestYaml.base().set("databases", "{ users: {} }").load();

        assertThat(config.routeFor("users")).isPresent();
        assertThat(config.routeFor("orders")).isEmpty();
    }

    @Test
    void preferencesAndBackendDatabase() {
        MeridianConfig config = TestYaml.base()
                .set("backends", "[ { name: a, region: iad, host: h }, { name: b, region: lhr, host: h } ]")
                .set("databases", "{ a: { prefer: local }, b: { regions: [iad, lhr], prefer: lhr },"
                        + " c: { prefer: NEAREST, backend_database: real_c } }")
                .load();

        assertThat(config.databases()).extracting(DatabaseRule::prefer)
                .containsExactly(Preference.LOCAL, Preference.region("lhr"), Preference.NEAREST);
        assertThat(config.databases().get(2).backendDatabaseFor("c")).isEqualTo("real_c");
        assertThat(config.databases().get(0).backendDatabaseFor("a")).isEqualTo("a");
    }

    @Test
    void regionsAddAndOverride() {
        MeridianConfig config = TestYaml.base()
                .set("regions", "{ iad: { lat: 1.5, lon: -2 }, home-lab: { lat: 10, lon: 20 } }")
                .set("backends", "[ { name: a, region: home-lab, host: h } ]")
                .set("region", "home-lab")
                .load();

        assertThat(config.regions()).containsEntry("iad", new Coordinates(1.5, -2))
                .containsEntry("home-lab", new Coordinates(10, 20))
                .hasSize(FlyRegions.all().size() + 1);
        assertThat(config.region()).isEqualTo("home-lab");
    }

    @Test
    void regionFallsBackToFlyRegion() {
        MeridianConfig config = TestYaml.base().remove("region").env("FLY_REGION", "sin").load();

        assertThat(config.region()).isEqualTo("sin");
    }

    @Test
    void proxyProtocolAcceptsOffInEverySpelling() {
        for (String word : List.of("off", "OFF", "false", "no", "\"off\"")) {
            MeridianConfig config = TestYaml.base().set("listen", "{ proxy_protocol: " + word + " }").load();
            assertThat(config.listen().proxyProtocol()).as(word).isEqualTo(ProxyProtocol.OFF);
        }
        assertThat(TestYaml.base().set("listen", "{ proxy_protocol: optional }").load()
                .listen().proxyProtocol()).isEqualTo(ProxyProtocol.OPTIONAL);
        assertThat(TestYaml.base().set("listen", "{ proxy_protocol: required }").load()
                .listen().proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
    }

    @Test
    void relativePathsResolveAgainstTheConfigDirectory() throws IOException {
        createReferencedFiles(dir);
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/server.crt"), "x");
        MeridianConfig config = TestYaml.base()
                .set("tls", "{ cert: certs/server.crt, key: ./tls.key, mode: require }")
                .set("auth", "{ users_file: certs/../users.txt }")
                .set("geo", "{ mmdb: GeoLite2-City.mmdb }")
                .load(dir);

        assertThat(config.tls()).isEqualTo(new TlsConfig(
                dir.resolve("certs/server.crt"), dir.resolve("tls.key"), ClientTlsMode.REQUIRE));
        assertThat(config.auth().usersFile()).isEqualTo(dir.resolve("users.txt"));
        assertThat(config.geo().mmdb()).isEqualTo(dir.resolve("GeoLite2-City.mmdb"));
    }

    @Test
    void loadReadsAFileAndResolvesPathsAgainstItsDirectory() throws IOException {
        createReferencedFiles(dir);
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, "\uFEFF" + TestYaml.base()
                .set("auth", "{ users_file: users.txt, method: md5 }").text());

        MeridianConfig config = ConfigLoader.load(file);

        assertThat(config.auth()).isEqualTo(new AuthConfig(dir.resolve("users.txt"), null, AuthMethod.MD5));
    }

    @Test
    void loadTheDesignExampleFromAFileWithAnExplicitEnvironment() throws IOException {
        createReferencedFiles(dir);
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, designExample(dir));

        assertThat(ConfigLoader.load(file, Map.of("IAD_PASSWORD", "pw")).backends()).hasSize(3);
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("backends[0].password: environment variable IAD_PASSWORD is not set");
    }

    @Test
    void reportsUnreadableFiles() throws IOException {
        Path key = dir.resolve("private.key");
        Files.writeString(key, "x");
        Files.setPosixFilePermissions(key, Set.of());
        assumeFalse(Files.isReadable(key), "running as root: every file is readable");

        assertThat(TestYaml.base().set("tls", "{ cert: private.key, key: private.key }").problems(dir))
                .containsExactly("tls.cert: file " + key + " is not readable",
                        "tls.key: file " + key + " is not readable");
    }

    @Test
    void loadReportsUnreadableFiles() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": cannot read");

        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28});
        assertThatThrownBy(() -> ConfigLoader.load(binary))
                .isInstanceOf(ConfigException.class)
                .hasMessage(binary + ": not valid UTF-8 text");

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": cannot read");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> TestYaml.base()
                        .set("listen", "{ port: 70000, prot: 1 }")
                        .set("backends", "[ { name: a, region: iad, host: h },"
                                + " { name: a, region: xyz, port: abc } ]")
                        .set("databases", "{ products: { regions: [sfo] } }")
                        .remove("auth")
                        .set("health", "{ timeout: 5s }")
                        .load());

        assertThat(e.problems()).containsExactly(
                "listen.prot: unknown key (expected host, port, proxy_protocol, proxy_protocol_from, transaction_port)",
                "listen.port: must be 1..65535",
                "backends[1].name: duplicate backend name \"a\" (also backends[0].name)",
                "backends[1].region: unknown region \"xyz\" (not a built-in Fly.io region;"
                        + " define it under regions:)",
                "backends[1].host: is required",
                "backends[1].port: \"abc\" is not a number",
                "databases.products.regions[0]: no backend in region sfo",
                "auth.method: scram-sha-256 needs auth.users_file or auth.auth_query",
                "health.timeout: must not exceed health.interval (2s)");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    }

    @Test
    void recordsAreImmutable() {
        MeridianConfig config = TestYaml.base().set("admin", "{ users: [ops] }").load();

        assertThatThrownBy(() -> config.backends().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.databases().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.regions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.admin().users().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
