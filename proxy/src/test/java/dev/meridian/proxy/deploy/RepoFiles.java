package dev.meridian.proxy.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's deployment files, read the way the tools that consume them read them. */
final class RepoFiles {

    /** {@code ${VAR}} or {@code ${VAR:-default}}: compose, the shell and Meridian's config share it. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::-([^}]*))?}");

    private static final Path ROOT = findRoot();

    private RepoFiles() {
    }

    /** The repository root: tests run in {@code proxy/}, the files live one level up. */
    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("proxy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    static Path path(String relative) {
        return ROOT.resolve(relative).normalize();
    }

    static String text(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode toml(String relative) {
        try {
            return new TomlMapper().readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relative) {
        return yaml(path(relative));
    }

    static JsonNode yaml(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default of a {@code ${VAR:-default}} value, or the value itself when it has none. */
    static String defaultOf(String value) {
        Matcher m = VARIABLE.matcher(value);
        return m.matches() && m.group(2) != null ? m.group(2) : value;
    }

    /** Replaces each {@code ${VAR:-default}} by its default, as compose does with an empty environment. */
    static String withDefaults(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(2) == null) {
                throw new AssertionError(value + ": ${" + m.group(1) + "} has no default");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
        }
        return m.appendTail(out).toString();
    }

    /** A compose service's {@code environment} mapping with defaults substituted. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").properties()
                .forEach(e -> env.put(e.getKey(), withDefaults(e.getValue().asText())));
        return env;
    }
}
