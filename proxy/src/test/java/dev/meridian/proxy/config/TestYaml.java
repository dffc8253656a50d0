package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds test configs from a small valid base by replacing, adding or removing top-level
 * sections, so each test states only what it is about.
 */
final class TestYaml {

    private final Map<String, String> sections = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    private TestYaml() {}

    /** A minimal config that loads: one backend in iad, one catch-all rule, trust auth. */
    static TestYaml base() {
        return new TestYaml()
                .set("region", "iad")
                .set("backends", "[ { name: iad-1, region: iad, host: iad.internal } ]")
                .set("databases", "{ \"*\": {} }")
                .set("auth", "{ method: trust }");
    }

    /** Replaces or appends a top-level section; the value is YAML text (flow or indented block). */
    TestYaml set(String key, String value) {
        sections.put(key, value);
        return this;
    }

    TestYaml remove(String key) {
        sections.remove(key);
        return this;
    }

    TestYaml env(String name, String value) {
        env.put(name, value);
        return this;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        sections.forEach((key, value) -> out.append(key).append(':')
                .append(value.startsWith("\n") ? "" : " ").append(value).append('\n'));
        return out.toString();
    }

    MeridianConfig load(Path baseDir) {
        return ConfigLoader.parse(text(), env, baseDir);
    }

    MeridianConfig load() {
        return load(Path.of("/nonexistent-base"));
    }

    /** The problems loading reports; fails the test if it loads. */
    List<String> problems(Path baseDir) {
        try {
            MeridianConfig config = load(baseDir);
            throw new AssertionError("expected problems, but loaded " + config + " from\n" + text());
        } catch (ConfigException e) {
            return new ArrayList<>(e.problems());
        }
    }

    List<String> problems() {
        return problems(Path.of("/nonexistent-base"));
    }

    @Override
    public String toString() {
        return text();
    }
}
