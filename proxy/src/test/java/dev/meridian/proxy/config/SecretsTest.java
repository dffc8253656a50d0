package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Passwords must never reach a problem message or a toString: both end up in logs. */
class SecretsTest {

    private static final String SECRET = "hunter2SECRET";

    static Stream<String> brokenConfigsMentioningTheSecret() {
        String head = "region: iad\nauth: { method: trust }\ndatabases: { \"*\": {} }\nbackends:\n";
        String backend = "  - name: a\n    region: iad\n    host: h\n";
        return Stream.of(
                head + backend + "    password: " + SECRET + "\n",                      // no user
                head + backend + "    user: u\n    password: \"" + SECRET + "\n",       // unterminated "
                head + backend + "    user: u\n    password: '" + SECRET + "\n",        // unterminated '
                head + backend + "    user: u\n    password: " + SECRET + " x: y\n",    // bad mapping
                head + backend + "    user: u\n    password: \"" + SECRET + "\"\t x\n",
                head + backend + "    user: u\n    password: \"" + SECRET + "\" extra\n",
                head + backend + "    user: u\n  password: " + SECRET + "\n",           // bad indent
                head + backend + "    user: u\n\tpassword: " + SECRET + "\n",           // tab
                head + backend + "    user: u\n    password: " + SECRET + "${\n",       // unterminated ${
                head + backend + "    user: u\n    password: ${" + SECRET + "-x}\n",    // bad name
                head + backend + "    user: u\n    password: \"${" + SECRET + " }\"\n",
                head + backend + "    user: u\n    password: *" + SECRET + "\n",        // alias
                head + backend + "    user: u\n    password: [" + SECRET + "]\n",
                head + backend + "    user: u\n    password: { a: " + SECRET + " }\n",
                head + backend + "    user: u\n    pasword: " + SECRET + "\n",          // misspelt key
                head + backend + "    user: u\n    password: \"" + SECRET + "\\q\"\n",  // bad escape
                head + backend + "    user: u\n    password: " + SECRET + "\n    port: x\n",
                head + backend + "    user: u\n    password: " + SECRET + "\n  - " + SECRET + "\n",
                "backends: [ { password: " + SECRET + ", user: u, name: a, region: iad, host: h, }, ]x");
    }

    @ParameterizedTest
    @MethodSource("brokenConfigsMentioningTheSecret")
    void problemsNeverContainThePassword(String yaml) {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of(), null));

        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("hunter2");
        assertThat(e.problems()).noneMatch(p -> p.contains("hunter2"));
    }

    @Test
    void passwordFromTheEnvironmentIsNotEchoedEither() {
        List<String> problems = TestYaml.base().env("PW", SECRET)
                .set("backends", "[ { name: a, region: iad, host: h, password: \"${PW}\" } ]")
                .problems();

        assertThat(problems).singleElement().asString()
                .startsWith("backends[0].password: given without user").doesNotContain(SECRET);
    }

    @Test
    void toStringRedactsThePassword() {
        MeridianConfig config = TestYaml.base()
                .set("backends", "[ { name: a, region: iad, host: h, user: u, password: " + SECRET + " } ]")
                .load();
        BackendConfig backend = config.backends().get(0);

        assertThat(backend.password()).isEqualTo(SECRET);
        assertThat(backend.toString()).doesNotContain(SECRET).contains("password=****").contains("user=u");
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void toStringShowsAMissingPasswordAsNull() {
        BackendConfig backend = new BackendConfig(
                "a", "iad", "h", 5432, BackendRole.AUTO, null, null, BackendTls.DEFAULT);

        assertThat(backend.toString()).isEqualTo("BackendConfig[name=a, region=iad, host=h, port=5432,"
                + " role=AUTO, user=null, password=null, tls=BackendTls[mode=PREFER, ca=null], allowCleartext=false]");
    }
}
