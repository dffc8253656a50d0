package dev.meridian.proxy.cli;

import dev.meridian.proxy.testing.RepoRoot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import dev.meridian.proxy.testing.TestCertificates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration example in the repository passes {@code meridian check}: each
 * {@code ```yaml} block of {@code docs/*.md} and {@code README.md}, and the example files
 * ({@code deploy/meridian.yaml}, {@code docker/meridian.yaml}).
 *
 * <p>The convention, also stated in {@code docs/README.md}:
 * <ul>
 *   <li>Only blocks fenced {@code ```yaml} are Meridian configurations; other YAML (compose,
 *       Kubernetes) is fenced {@code ```yml} or {@code ```text}.
 *   <li>A block with a top-level {@code backends:} is a whole configuration and is checked as it
 *       is. Any other block is a fragment: it is checked on top of a small base (region
 *       {@code iad}; backends {@code iad-1}, {@code lhr-1}, {@code sin-1}; {@code databases: "*"};
 *       {@code auth: trust}), its top-level sections replacing the base's.
 *   <li>{@code ${VAR}} without a default gets a dummy value ({@code 5432} when the name contains
 *       {@code PORT}); {@code ${VAR:-default}} takes its default.
 *   <li>Files an example names (certificates, users file, mmdb) are relative to the
 *       configuration's folder or under {@code /etc/meridian/}; the test maps
 *       {@code /etc/meridian/} into a temporary folder and creates each file {@code check}
 *       reports missing there: a JWKS ({@code .json}) with one HS256 key, since {@code check}
 *       parses it; any other file empty, since {@code check} only needs it readable.
 * </ul>
 */
class ExamplesPassCheckTest {

    private static final Pattern FENCE = Pattern.compile("^```yaml\\s*$\\n(.*?)^```\\s*$",
            Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern TOP_KEY = Pattern.compile("^([A-Za-z_]+):", Pattern.MULTILINE);
    private static final Pattern UNSET = Pattern.compile("\\$\\{(\\w+)}");
    private static final Pattern MISSING = Pattern.compile("file (\\S+) does not exist");
    private static final Map<String, String> BASE = new LinkedHashMap<>();

    static {
        BASE.put("region", "iad");
        BASE.put("backends", "\n  - { name: iad-1, region: iad, host: 127.0.0.1, port: 5432, user: meridian, password: x }"
                + "\n  - { name: lhr-1, region: lhr, host: 127.0.0.1, port: 5433, user: meridian, password: x }"
                + "\n  - { name: sin-1, region: sin, host: 127.0.0.1, port: 5434, user: meridian, password: x }");
        BASE.put("databases", "{ \"*\": {} }");
        BASE.put("auth", "{ method: trust }");
    }

    @TempDir
    Path tmp;
    private TestCertificates pki;

    @TestFactory
    Stream<DynamicTest> everyExamplePassesCheck() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                int line = text.substring(0, m.start()).split("\n", -1).length;
                String example = m.group(1);
                String name = RepoRoot.path().relativize(doc) + ":" + line;
                tests.add(DynamicTest.dynamicTest(name, () -> assertPasses(name, whole(example))));
            }
        }
        for (String file : List.of("deploy/meridian.yaml", "docker/meridian.yaml")) {
            String example = Files.readString(RepoRoot.path().resolve(file));
            tests.add(DynamicTest.dynamicTest(file, () -> assertPasses(file, example)));
        }
        return tests.stream();
    }

    @Test
    void aBrokenExampleFailsWithItsProblem() throws IOException {
        Result result = check(whole("pool: { max_per_backend: 0 }"));
        assertEquals(1, result.exit());
        assertTrue(result.err().contains("pool.max_per_backend: must be at least 1"), result.err());
    }

    @Test
    void warningsAreLinesOfTheirOwnAndCheckStillPasses() throws IOException {
        Result result = check("region: iad\nauth: { method: trust }\ndatabases: { \"*\": {} }\n"
                + "backends: [ { name: iad-r, region: iad, host: h, role: replica } ]\n");
        assertEquals(0, result.exit());
        assertTrue(result.err().startsWith("warning: databases.\"*\": every backend in any region has role: replica"),
                result.err());
    }

    private void assertPasses(String name, String yaml) throws IOException {
        Result result = check(yaml);
        assertEquals(0, result.exit(), name + " fails meridian check:\n" + result.err() + "\n---\n" + yaml);
    }

    /** The example itself when it names backends, else the example over the base. */
    static String whole(String example) {
        List<String> keys = new ArrayList<>();
        TOP_KEY.matcher(example).results().forEach(r -> keys.add(r.group(1)));
        if (keys.contains("backends")) {
            return example;
        }
        StringBuilder yaml = new StringBuilder(example).append('\n');
        BASE.forEach((key, value) -> {
            if (!keys.contains(key)) {
                yaml.append(key).append(": ").append(value).append('\n');
            }
        });
        return yaml.toString();
    }

    private Result check(String yaml) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "example");
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, yaml.replace("/etc/meridian/", dir + "/etc/meridian/"));
        Map<String, String> env = new LinkedHashMap<>();
        UNSET.matcher(yaml).results().forEach(r -> env.put(r.group(1), r.group(1).contains("PORT") ? "5432" : "example"));
        Result result = run(file, env);
        for (int round = 0; round < 10 && result.exit() != 0; round++) {
            List<Path> missing = MISSING.matcher(result.err()).results().map(r -> Path.of(r.group(1)))
                    .filter(p -> p.startsWith(dir)).toList();
            if (missing.isEmpty()) {
                break;
            }
            for (Path p : missing) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, placeholder(p));
            }
            result = run(file, env);
        }
        return result;
    }

    /**
     * What a missing file named by an example holds: a JWKS must parse, and a certificate and its
     * key must be a real pair ({@code check} proves a key belongs to its certificate); the rest
     * may be empty.
     */
    private String placeholder(Path p) throws IOException {
        String name = p.getFileName().toString();
        if (name.endsWith(".json")) {
            return "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"example\",\"alg\":\"HS256\","
                    + "\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0zMg\"}]}";
        }
        if (name.endsWith(".key")) {
            return Files.readString(pki().serverKey());
        }
        if (name.endsWith(".crt") || name.endsWith(".pem")) {
            return Files.readString(pki().serverCert());
        }
        return "";
    }

    private TestCertificates pki() throws IOException {
        if (pki == null) {
            pki = TestCertificates.create(tmp.resolve("pki"), "Example CA");
        }
        return pki;
    }

    private static Result run(Path file, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CheckCommand.check(file, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, err.toString(StandardCharsets.UTF_8));
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(RepoRoot.path().resolve("README.md")));
        try (Stream<Path> files = Files.list(RepoRoot.path().resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private record Result(int exit, String err) {}
}
