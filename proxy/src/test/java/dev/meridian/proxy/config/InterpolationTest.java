package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterpolationTest {

    private static final Map<String, String> ENV = Map.of(
            "HOST", "db.internal",
            "PORT", "6543",
            "EMPTY", "",
            "TRICKY", "${HOST} $$ }",
            "MULTILINE", "a\nb: c");

    private final Interpolator interpolator = new Interpolator(ENV);

    static Stream<Arguments> expansions() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("${HOST}", "db.internal"),
                Arguments.of("${HOST}:${PORT}", "db.internal:6543"),
                Arguments.of("pre-${HOST}-post", "pre-db.internal-post"),
                Arguments.of("${UNSET:-fallback}", "fallback"),
                Arguments.of("${HOST:-fallback}", "db.internal"),
                Arguments.of("${EMPTY:-fallback}", "fallback"), // :- also covers empty, as in sh
                Arguments.of("${EMPTY}", ""),
                Arguments.of("${UNSET:-}", ""),
                Arguments.of("${UNSET:-${HOST}}", "db.internal"),
                Arguments.of("${UNSET:-${ALSO_UNSET:-deep}}", "deep"),
                Arguments.of("${UNSET:-a}${UNSET:-b}", "ab"),
                Arguments.of("${UNSET:-x:-y}", "x:-y"),
                Arguments.of("${TRICKY}", "${HOST} $$ }"), // values are never expanded again
                Arguments.of("$$", "$"),
                Arguments.of("$${HOST}", "${HOST}"),
                Arguments.of("$$$${HOST}", "$${HOST}"),
                Arguments.of("pa$$word", "pa$word"),
                Arguments.of("${UNSET:-$$}", "$"),
                Arguments.of("${UNSET:-a}b}", "ab}"),
                Arguments.of("WHERE usename=$1", "WHERE usename=$1"),
                Arguments.of("costs $5", "costs $5"),
                Arguments.of("trailing $", "trailing $"),
                Arguments.of("{HOST}", "{HOST}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("expansions")
    void expands(String text, String expected) {
        List<String> problems = new ArrayList<>();
        assertThat(interpolator.apply(text, problems)).isEqualTo(expected);
        assertThat(problems).isEmpty();
    }

    static Stream<Arguments> failures() {
        String badName = "invalid ${...}: a variable name is letters, digits and _ (write $$ for a literal $)";
        return Stream.of(
                Arguments.of("${UNSET}", List.of("environment variable UNSET is not set")),
                Arguments.of("${A}-${B}", List.of(
                        "environment variable A is not set", "environment variable B is not set")),
                Arguments.of("${UNSET:-${ALSO_UNSET}}", List.of("environment variable ALSO_UNSET is not set")),
                Arguments.of("${HOST", List.of("unterminated ${ (write $$ for a literal $)")),
                Arguments.of("abc${", List.of("unterminated ${ (write $$ for a literal $)")),
                Arguments.of("${}", List.of(badName)),
                Arguments.of("${1ABC}", List.of(badName)),
                Arguments.of("${A B}", List.of(badName)),
                Arguments.of("${HOST-default}", List.of(badName)),
                Arguments.of("${U:-${U:-${U:-${U:-${U:-${U:-${U:-${U:-${U:-${U:-x}}}}}}}}}}",
                        List.of("${...} defaults nested too deeply")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void reportsProblems(String text, List<String> expected) {
        List<String> problems = new ArrayList<>();
        assertThat(interpolator.apply(text, problems)).isNull();
        assertThat(problems).isEqualTo(expected);
    }

    @Test
    void appliesToScalarsAnywhereInTheTree() {
        MeridianConfig config = TestYaml.base()
                .env("HOST", "db.internal").env("PORT", "6543").env("REGION", "lhr")
                .env("RULE_REGION", "iad").env("OPS", "alice")
                .set("backends", "\n  - name: \"${REGION}-1\"\n    region: ${REGION}\n"
                        + "    host: ${HOST}\n    port: ${PORT}\n"
                        + "  - { name: b, region: iad, host: \"${UNSET:-fallback.internal}\" }")
                .set("databases", "{ x: { regions: [\"${RULE_REGION}\"] }, \"*\": {} }")
                .set("admin", "{ users: [\"${OPS}\", bob] }")
                .load();

        assertThat(config.backends().get(0)).extracting(
                BackendConfig::name, BackendConfig::region, BackendConfig::host, BackendConfig::port)
                .containsExactly("lhr-1", "lhr", "db.internal", 6543);
        assertThat(config.backends().get(1).host()).isEqualTo("fallback.internal");
        assertThat(config.databases().get(0).regions()).containsExactly("iad");
        assertThat(config.admin().users()).containsExactly("alice", "bob");
    }

    @Test
    void numbersAndDurationsMayComeFromTheEnvironment() {
        MeridianConfig config = TestYaml.base()
                .env("PORT", "6543").env("INTERVAL", "5s").env("MAX", "64MB").env("PP", "required")
                .set("listen", "{ port: \"${PORT:-5432}\", proxy_protocol: \"${PP}\" }")
                .set("admin", "{ port: \"${ADMIN_PORT:-9000}\" }")
                .set("health", "{ interval: \"${INTERVAL}\" }")
                .set("limits", "{ max_message_bytes: \"${MAX}\" }")
                .load();

        assertThat(config.listen().port()).isEqualTo(6543);
        assertThat(config.listen().proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
        assertThat(config.admin().port()).isEqualTo(9000);
        assertThat(config.health().interval()).hasSeconds(5);
        assertThat(config.limits().maxMessageBytes()).isEqualTo(64L << 20);
    }

    @Test
    void coercionFailuresNameTheKey() {
        List<String> problems = TestYaml.base().env("PORT", "abc")
                .set("listen", "{ port: \"${PORT}\" }")
                .set("pool", "{ max_per_backend: \"${UNSET}\" }")
                .problems();

        assertThat(problems).containsExactly(
                "listen.port: \"abc\" is not a number",
                "pool.max_per_backend: environment variable UNSET is not set");
    }

    @Test
    void aValueCannotInjectYamlStructure() {
        MeridianConfig config = TestYaml.base().env("MULTILINE", "a\nb: c")
                .set("backends", "[ { name: a, region: iad, host: \"${MULTILINE}\" } ]")
                .load();

        assertThat(config.backends().get(0).host()).isEqualTo("a\nb: c");
    }

    @Test
    void keysAndUnusedValuesAreNotInterpolated() {
        // An unknown key is reported as such, without also complaining about its value.
        List<String> problems = TestYaml.base().set("listen", "{ prot: \"${UNSET}\" }").problems();

        assertThat(problems).containsExactly("listen.prot: unknown key (expected host, port, proxy_protocol, proxy_protocol_from, transaction_port)");
    }

    @Test
    void dollarDollarGivesALiteralDollarInAQuery() {
        MeridianConfig config = TestYaml.base()
                .set("auth", "{ method: trust, auth_query: \"SELECT $$1, usename FROM pg_shadow WHERE usename=$1\" }")
                .load();

        assertThat(config.auth().authQuery()).isEqualTo("SELECT $1, usename FROM pg_shadow WHERE usename=$1");
    }
}
