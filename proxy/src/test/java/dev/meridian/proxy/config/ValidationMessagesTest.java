package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per validation message: a small change to a valid config and the exact line
 * {@code meridian check} must print for it. {@code @TMP@} stands for the config's directory, which
 * holds tls.crt, tls.key, ca.pem, users.txt, geo.mmdb and a directory adir.
 */
class ValidationMessagesTest {

    private static final String UNKNOWN_XYZ =
            "unknown region \"xyz\" (not a built-in Fly.io region; define it under regions:)";

    @TempDir
    Path dir;

    @BeforeEach
    void createFiles() throws IOException {
        for (String name : new String[] {"tls.crt", "tls.key", "ca.pem", "users.txt", "geo.mmdb"}) {
            Files.writeString(dir.resolve(name), "x");
        }
        Files.createDirectory(dir.resolve("adir"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource({"listenAndAdmin", "topLevel", "tls", "regions", "backends", "databases", "geo",
        "auth", "tuning", "yaml"})
    void reportsProblemWithItsPath(TestYaml yaml, String expected) {
        assertThat(yaml.problems(dir)).contains(expected.replace("@TMP@", dir.toString()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource({"listenAndAdmin", "topLevel", "tls", "regions", "backends", "databases", "geo",
        "auth", "tuning"})
    void reportsOnlyThatProblem(TestYaml yaml, String expected) {
        // No cascades: one mistake, one line.
        assertThat(yaml.problems(dir)).hasSize(1);
    }

    static Arguments row(TestYaml yaml, String expected) {
        return Arguments.of(yaml, expected);
    }

    static TestYaml with(String key, String value) {
        return TestYaml.base().set(key, value);
    }

    static Stream<Arguments> listenAndAdmin() {
        return Stream.of(
                row(with("listen", "{ port: 70000 }"), "listen.port: must be 1..65535"),
                row(with("listen", "{ port: 0 }"), "listen.port: must be 1..65535"),
                row(with("listen", "{ port: abc }"), "listen.port: \"abc\" is not a number"),
                row(with("listen", "{ port: 1.5 }"), "listen.port: \"1.5\" is not a whole number"),
                row(with("listen", "{ port: [1] }"), "listen.port: must be a number, not a list"),
                row(with("listen", "{ prot: 1 }"),
                        "listen.prot: unknown key (expected host, port, proxy_protocol, proxy_protocol_from, transaction_port)"),
                row(with("listen", "5432"), "listen: must be a map, not a single value"),
                row(with("listen", "{ proxy_protocol: on }"),
                        "listen.proxy_protocol: \"on\" is ambiguous: use optional or required (or off)"),
                row(with("listen", "{ proxy_protocol: true }"),
                        "listen.proxy_protocol: \"true\" is ambiguous: use optional or required (or off)"),
                row(with("listen", "{ proxy_protocol: maybe }"),
                        "listen.proxy_protocol: must be one of off, optional, required (got \"maybe\")"),
                row(with("admin", "{ port: 5432 }"),
                        "admin.port: same as listen.port (5432) on an overlapping host"),
                row(with("admin", "{ users: ops }"), "admin.users: must be a list, not a single value"),
                row(with("admin", "{ users: [ops, ops] }"), "admin.users[1]: duplicate \"ops\""),
                row(with("admin", "{ users: [\"\"] }"), "admin.users[0]: must not be empty"),
                row(with("admin", "{ users: [ops], tokens: [] }"),
                        "admin.tokens: unknown key (expected host, port, users)"));
    }

    static Stream<Arguments> topLevel() {
        return Stream.of(
                row(with("bogus", "1"), "bogus: unknown key (expected listen, admin, region, tls,"
                        + " regions, backends, databases, geo, auth, health, pool, limits, cluster, edge)"),
                row(with("my key", "1").remove("bogus"), "\"my key\": unknown key (expected listen,"
                        + " admin, region, tls, regions, backends, databases, geo, auth, health, pool,"
                        + " limits, cluster, edge)"),
                row(with("region", "xyz"), "region: " + UNKNOWN_XYZ),
                row(with("region", "\"${NOPE:-}\""), "region: must not be empty"),
                row(TestYaml.base().remove("region"), "region: is required (or set FLY_REGION)"));
    }

    static Stream<Arguments> tls() {
        return Stream.of(
                row(with("tls", "{ key: tls.key }"), "tls.cert: is required"),
                row(with("tls", "{ cert: tls.crt }"), "tls.key: is required"),
                row(with("tls", "{ cert: missing.crt, key: tls.key }"),
                        "tls.cert: file @TMP@/missing.crt does not exist"),
                row(with("tls", "{ cert: /nonexistent/x.crt, key: tls.key }"),
                        "tls.cert: file /nonexistent/x.crt does not exist"),
                row(with("tls", "{ cert: adir, key: tls.key }"),
                        "tls.cert: @TMP@/adir is a directory, not a file"),
                row(with("tls", "{ cert: tls.crt, key: tls.key, mode: verify }"),
                        "tls.mode: must be one of prefer, require (got \"verify\")"),
                row(with("tls", "{ cert: tls.crt, key: tls.key, ca: ca.pem }"),
                        "tls.ca: unknown key (expected cert, key, mode)"));
    }

    static Stream<Arguments> regions() {
        return Stream.of(
                row(with("regions", "{ iad: { lat: 95, lon: 0 } }"),
                        "regions.iad.lat: must be between -90 and 90"),
                row(with("regions", "{ iad: { lat: 0, lon: -180.5 } }"),
                        "regions.iad.lon: must be between -180 and 180"),
                row(with("regions", "{ home: { lat: 1 } }"), "regions.home.lon: is required"),
                row(with("regions", "{ home: { lat: north, lon: 1 } }"),
                        "regions.home.lat: \"north\" is not a number"),
                row(with("regions", "{ home: ~ }"), "regions.home: must be a map"),
                row(with("regions", "{ home: { lat: 1, lon: 1, alt: 3 } }"),
                        "regions.home.alt: unknown key (expected lat, lon)"),
                row(with("regions", "{ HOME: { lat: 1, lon: 1 } }"),
                        "regions.HOME: region codes are 1 to 32 lower-case letters, digits, - or _"),
                row(with("regions", "{ local: { lat: 1, lon: 1 } }"),
                        "regions.local: \"local\" is reserved (it is a prefer: keyword)"),
                row(with("regions", "[ iad ]"), "regions: must be a map, not a list"));
    }

    static Stream<Arguments> backends() {
        String two = "[ { name: a, region: iad, host: h }, ";
        return Stream.of(
                row(TestYaml.base().remove("backends"), "backends: at least one backend is required"),
                row(with("backends", "[]"), "backends: at least one backend is required"),
                row(with("backends", "{ a: 1 }"), "backends: must be a list, not a map"),
                row(with("backends", "[ ~ ]"), "backends[0]: must be a map"),
                row(with("backends", "[ { region: iad, host: h } ]"), "backends[0].name: is required"),
                row(with("backends", "[ { name: a, region: iad } ]"), "backends[0].host: is required"),
                row(with("backends", "[ { name: a, host: h } ]"), "backends[0].region: is required"),
                row(with("backends", "[ { name: a, region: iad, host: \"\" } ]"),
                        "backends[0].host: must not be empty"),
                row(with("backends", two + "{ name: b, region: iad, host: h },"
                        + " { name: c, region: iad, host: h, port: 99999 } ]"),
                        "backends[2].port: must be 1..65535"),
                row(with("backends", two + "{ name: a, region: iad, host: h2 } ]"),
                        "backends[1].name: duplicate backend name \"a\" (also backends[0].name)"),
                row(with("backends", "[ { name: a, region: xyz, host: h } ]"),
                        "backends[0].region: " + UNKNOWN_XYZ),
                row(with("backends", "[ { name: a, region: iad, host: h, role: master } ]"),
                        "backends[0].role: must be one of primary, replica, auto (got \"master\")"),
                row(with("backends", "[ { name: a, region: iad, host: h, password: pw } ]"),
                        "backends[0].password: given without user"
                                + " (omit both to log in as the client's own user)"),
                row(with("backends", "[ { name: a, region: iad, host: h, sslmode: x } ]"),
                        "backends[0].sslmode: unknown key (expected name, region, host, port, role,"
                                + " user, password, tls, allow_cleartext)"),
                row(with("backends", "[ { name: a, region: iad, host: h, tls: { mode: verify-full } } ]"),
                        "backends[0].tls.ca: is required for mode verify-full"),
                row(with("backends", "[ { name: a, region: iad, host: h,"
                        + " tls: { mode: verify-ca, ca: nope.pem } } ]"),
                        "backends[0].tls.ca: file @TMP@/nope.pem does not exist"),
                row(with("backends", "[ { name: a, region: iad, host: h, tls: { mode: bogus } } ]"),
                        "backends[0].tls.mode: must be one of disable, prefer, require, verify-ca,"
                                + " verify-full (got \"bogus\")"),
                row(with("backends", "[ { name: a, region: iad, host: h,"
                        + " tls: { mode: disable, ca: ca.pem } } ]"),
                        "backends[0].tls.ca: has no effect with mode disable"),
                row(with("backends", "[ { name: a, region: iad, host: h, tls: { sslmode: x } } ]"),
                        "backends[0].tls.sslmode: unknown key (expected mode, ca)"));
    }

    static Stream<Arguments> databases() {
        TestYaml twoRegions = TestYaml.base().set("backends",
                "[ { name: a, region: iad, host: h }, { name: b, region: lhr, host: h } ]");
        return Stream.of(
                row(TestYaml.base().remove("databases"),
                        "databases: at least one database rule is required"),
                row(with("databases", "{}"), "databases: at least one database rule is required"),
                row(with("databases", "[ users ]"), "databases: must be a map, not a list"),
                row(with("databases", "{ products: { regions: [sfo] } }"),
                        "databases.products.regions[0]: no backend in region sfo"),
                row(with("databases", "{ x: { regions: [iad, xyz] } }"),
                        "databases.x.regions[1]: " + UNKNOWN_XYZ),
                row(with("databases", "{ x: { regions: [iad, iad] } }"),
                        "databases.x.regions[1]: duplicate region iad"),
                row(with("databases", "{ x: { regions: iad } }"),
                        "databases.x.regions: must be a list, not a single value"),
                row(with("databases", "{ \"*\": { prefer: xyz } }"),
                        "databases.\"*\".prefer: " + UNKNOWN_XYZ),
                row(with("databases", "{ \"*\": { prefer: sfo } }"),
                        "databases.\"*\".prefer: no backend in region sfo"),
                row(twoRegions.set("databases", "{ users: { regions: [iad], prefer: lhr } }"),
                        "databases.users.prefer: region lhr is not among this rule's regions (iad)"),
                row(with("databases", "{ \"[abc\": {} }"),
                        "databases.\"[abc\": unterminated [ (write \\[ for a literal [)"),
                row(with("databases", "{ \"\": {} }"), "databases.\"\": pattern must not be empty"),
                row(with("databases", "{ \"*\": {}, orders: {} }"),
                        "databases.orders: never used: databases.\"*\" above already matches every database"),
                row(with("databases", "{ x: { region: iad } }"),
                        "databases.x.region: unknown key (expected regions, prefer, backend_database, pool_mode, target, replication)"),
                row(with("databases", "{ x: { backend_database: " + "d".repeat(64) + " } }"),
                        "databases.x.backend_database: is longer than 63 bytes"),
                row(with("databases", "\n  users: {}\n  users: {}"), "databases.users: duplicate key"));
    }

    static Stream<Arguments> geo() {
        return Stream.of(
                row(with("geo", "{ mmdb: nope.mmdb }"), "geo.mmdb: file @TMP@/nope.mmdb does not exist"),
                row(with("geo", "{ networks: [ { cidr: 10.0.0.0/33, region: iad } ] }"),
                        "geo.networks[0].cidr: invalid CIDR \"10.0.0.0/33\": prefix length must be 0..32"),
                row(with("geo", "{ networks: [ { cidr: banana, region: iad } ] }"),
                        "geo.networks[0].cidr: invalid CIDR \"banana\": not an IPv4 address (expected a.b.c.d)"),
                row(with("geo", "{ networks: [ { cidr: \"2001:db8::/129\", region: iad } ] }"),
                        "geo.networks[0].cidr: invalid CIDR \"2001:db8::/129\": prefix length must be 0..128"),
                row(with("geo", "{ networks: [ { cidr: 10.0.0.0/8, region: xyz } ] }"),
                        "geo.networks[0].region: " + UNKNOWN_XYZ),
                row(with("geo", "{ networks: [ { region: iad } ] }"), "geo.networks[0].cidr: is required"),
                row(with("geo", "{ networks: [ { cidr: 10.1.0.0/16, region: iad },"
                        + " { cidr: 10.1.2.3/16, region: lhr } ] }"),
                        "geo.networks[1].cidr: duplicate network 10.1.0.0/16 (also geo.networks[0].cidr)"),
                row(with("geo", "{ networks: { cidr: 10.0.0.0/8 } }"),
                        "geo.networks: must be a list, not a map"));
    }

    static Stream<Arguments> auth() {
        return Stream.of(
                row(TestYaml.base().remove("auth"),
                        "auth.method: scram-sha-256 needs auth.users_file or auth.auth_query"),
                row(with("auth", "{ method: md5 }"), "auth.method: md5 needs auth.users_file or auth.auth_query"),
                row(with("auth", "{ users_file: nope.txt }"),
                        "auth.users_file: file @TMP@/nope.txt does not exist"),
                row(with("auth", "{ auth_query: \"SELECT usename, passwd FROM pg_shadow\" }"),
                        "auth.auth_query: must contain $1 (where the user name goes)"),
                row(with("auth", "{ auth_query: \"${UNSET}\" }"),
                        "auth.auth_query: environment variable UNSET is not set"),
                row(with("auth", "{ auth_query: \"\" }"),
                        "auth.method: scram-sha-256 needs auth.users_file or auth.auth_query"),
                row(with("auth", "{ method: password, users_file: users.txt }"),
                        "auth.method: must be one of scram-sha-256, md5, trust (got \"password\")"),
                row(with("auth", "{ method: trust, failure_backoff: 5 }"),
                        "auth.failure_backoff: must be a map, not a single value"),
                row(with("auth", "{ method: trust, failure_backoff: { afterr: 5 } }"),
                        "auth.failure_backoff.afterr: unknown key (expected after, initial, max, window)"),
                row(with("auth", "{ method: trust, failure_backoff: { after: -1 } }"),
                        "auth.failure_backoff.after: must be at least 0"),
                row(with("auth", "{ method: trust, failure_backoff: { initial: 0s } }"),
                        "auth.failure_backoff.initial: must be greater than 0"),
                row(with("auth", "{ method: trust, failure_backoff: { initial: 2m } }"),
                        "auth.failure_backoff.initial: must be at most 1m (a delayed answer holds its connection open)"),
                row(with("auth", "{ method: trust, failure_backoff: { max: 100ms } }"),
                        "auth.failure_backoff.max: must not be less than auth.failure_backoff.initial (200ms)"),
                row(with("auth", "{ method: trust, failure_backoff: { max: 90s } }"),
                        "auth.failure_backoff.max: must be at most 1m (a delayed answer holds its connection open)"),
                row(with("auth", "{ method: trust, failure_backoff: { window: soon } }"),
                        "auth.failure_backoff.window: \"soon\" is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)"),
                row(with("auth", "{ method: trust, failure_backoff: { window: 0s } }"),
                        "auth.failure_backoff.window: must be greater than 0"));
    }

    static Stream<Arguments> tuning() {
        return Stream.of(
                row(with("health", "{ timeout: 3s }"), "health.timeout: must not exceed health.interval (2s)"),
                row(with("health", "{ interval: 0s }"), "health.interval: must be greater than 0"),
                row(with("health", "{ interval: 2x }"),
                        "health.interval: \"2x\" is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)"),
                row(with("health", "{ rise: 0 }"), "health.rise: must be at least 1"),
                row(with("health", "{ fall: -1 }"), "health.fall: must be at least 1"),
                row(with("health", "{ grace_period: -1s }"),
                        "health.grace_period: \"-1s\" is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)"),
                row(with("pool", "{ min_idle: 200 }"), "pool.min_idle: must not exceed pool.max_per_backend (100)"),
                row(with("pool", "{ max_per_backend: 0 }"), "pool.max_per_backend: must be at least 1"),
                row(with("limits", "{ max_message_bytes: 2GB }"),
                        "limits.max_message_bytes: must be between 1kB and 1GB"),
                row(with("limits", "{ max_message_bytes: 512B }"),
                        "limits.max_message_bytes: must be between 1kB and 1GB"),
                row(with("limits", "{ max_message_bytes: 1XB }"),
                        "limits.max_message_bytes: \"1XB\" is not a size (use e.g. 1024B, 64kB, 512MB, 1GB)"),
                row(with("limits", "{ startup_timeout: 0 }"), "limits.startup_timeout: must be greater than 0"),
                row(with("limits", "{ max_client_connections: 0 }"),
                        "limits.max_client_connections: must be at least 1"),
                row(with("limits", "{ idle_transaction_timeout: soon }"),
                        "limits.idle_transaction_timeout: \"soon\" is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)"),
                row(with("limits", "{ idle_transaction_timeout: -5s }"),
                        "limits.idle_transaction_timeout: \"-5s\" is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)"),
                row(with("pool", "{ min_idle: -1 }"), "pool.min_idle: must be at least 0"),
                row(with("pool", "{ min_idle: two }"), "pool.min_idle: \"two\" is not a number"));
    }

    static Stream<Arguments> yaml() {
        return Stream.of(
                row(with("listen", "{ port: &p 5432 }").set("admin", "{ port: *p }"),
                        "admin.port: YAML aliases (*name) are not supported; quote values that start with *"),
                row(with("listen", "{}\n---\nlisten: {}"), "only one YAML document is allowed (found a second ---)"),
                row(with("backends", "[ { name: a, region: iad, host: h, user: u, password: \"${IAD_PASSWORD}\" } ]"),
                        "backends[0].password: environment variable IAD_PASSWORD is not set"),
                row(with("listen", "{ port: ${PORT} }"), "invalid YAML at line 5, column 18: while parsing a"
                        + " flow mapping; expected ',' or '}', but got {"
                        + " (inside { } or [ ], quote values that use ${...})"));
    }
}
