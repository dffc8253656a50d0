package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the input, loading either succeeds or throws a {@link ConfigException} with a message;
 * hot reload depends on never seeing another exception type.
 */
class RobustnessTest {

    private static final String[] SECTIONS = {
        "listen", "admin", "region", "tls", "regions", "backends", "databases", "geo", "auth",
        "health", "pool", "limits"
    };

    private static final String[] WRONG_VALUES = {
        "~", "\"\"", "0", "-1", "99999999999999999999", "1.5", "true", "off", "[]", "[1, [2]]",
        "{}", "{ a: 1 }", "\"${UNSET}\"", "\"${\"", "'*'", "[ ~ ]", "[ {} ]", "[ { a: ~ } ]",
        "{ \"*\": ~ }", "{ \"*\": [] }", "{ x: { regions: [~] } }", "!!binary aGVsbG8=", "2s", "1GB",
    };

    @TempDir
    Path dir;

    @Test
    void garbageInputsGiveConfigExceptions() {
        List<String> inputs = new ArrayList<>(List.of(
                "", " ", "\n", "\n\n\n", "# only a comment", "---", "...", "--- ~", "~", "null", "[]",
                "{}", "- a\n- b", "42", "'str'", "\"str\"", "{", "}", "[", "]", ":", "::", "a: [",
                "a: {b: c", "\t", "a:\n\tb: c", "key: \"unterminated", "key: 'unterminated",
                "? complex\n: key", "? [a, b]\n: c", "!!binary aGk=", "&a [*a]", "a: *undefined",
                "%YAML 1.2\n---\nlisten: {}", "%BOGUS\n---\na: 1", "\u0000\u0001\u0002",
                "\uFEFF", "\uFEFF\uFEFF", "a: b: c", "- - - -", "a:\n- b\nc", "&x a: 1", "!!map []",
                "!!str {}", "!custom x", "<<: {}", "listen: &l {}\nadmin: *l", "'\\x'", "\"\\q\"",
                "\ud800", "a: \ud800", "\u2028\u2029", "listen:\n  port:\n    - - - x",
                "backends: [{name: a, region: iad, host: h, port: 2147483648}]",
                "databases:\n  ? [a]\n  : {}", "regions: { 1: { lat: 1, lon: 1 } }",
                "\"listen\": {}\n\"listen\": {}", "null: 1", "~: 1", "1: 2", "true: false",
                "[" .repeat(10_000), "{a: ".repeat(10_000), "- ".repeat(10_000) + "x",
                nestedMaps(200), "a: " + "x".repeat(4_000_000), "a: |\n" + "  line\n".repeat(1000)));
        for (String section : SECTIONS) {
            for (String value : WRONG_VALUES) {
                inputs.add(TestYaml.base().set(section, value).text());
            }
        }
        inputs.forEach(RobustnessTest::assertLoadsOrExplains);
    }

    @Test
    void everyPrefixOfTheDesignExampleLoadsOrExplains() throws IOException {
        ConfigLoaderTest.createReferencedFiles(dir);
        String full = ConfigLoaderTest.designExample(dir);
        for (int length = 0; length <= full.length(); length++) {
            assertLoadsOrExplains(full.substring(0, length), dir);
        }
    }

    @Test
    void randomMutationsOfTheDesignExampleLoadOrExplain() throws IOException {
        ConfigLoaderTest.createReferencedFiles(dir);
        String full = ConfigLoaderTest.designExample(dir);
        String alphabet = " \n\t:-{}[],#&*!|>'\"%@`$?~0123456789abcxyz.\\\u0000\u00e9\ud83d";
        Random random = new Random(20240607); // fixed seed: failures must be reproducible
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder(full);
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertLoadsOrExplains(text.toString(), dir);
        }
    }

    @Test
    void randomBytesLoadOrExplain() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            assertLoadsOrExplains(new String(bytes, StandardCharsets.ISO_8859_1), dir);
            assertLoadsOrExplains(new String(bytes, StandardCharsets.UTF_8), dir);
            Path file = dir.resolve("random.yaml");
            Files.write(file, bytes);
            assertLoadOrExplains(file);
        }
    }

    private static String nestedMaps(int depth) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            out.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return out.append("  ".repeat(depth)).append("v").toString();
    }

    private static void assertLoadsOrExplains(String yaml) {
        assertLoadsOrExplains(yaml, Path.of("/nonexistent-base"));
    }

    private static void assertLoadsOrExplains(String yaml, Path dir) {
        try {
            ConfigLoader.parse(yaml, Map.of("IAD_PASSWORD", "pw"), dir);
        } catch (ConfigException e) {
            assertExplains(e, yaml);
        } catch (Throwable t) {
            fail("unexpected " + t + " for input " + KeyPath.quote(yaml), t);
        }
    }

    private static void assertLoadOrExplains(Path file) {
        try {
            ConfigLoader.load(file);
        } catch (ConfigException e) {
            assertExplains(e, file.toString());
        } catch (Throwable t) {
            fail("unexpected " + t + " for file " + file, t);
        }
    }

    private static void assertExplains(ConfigException e, String input) {
        assertThat(e.problems()).as("problems for %s", KeyPath.quote(input)).isNotEmpty()
                .allSatisfy(p -> assertThat(p).isNotBlank().doesNotContain("internal error"));
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    }
}
