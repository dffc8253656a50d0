package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Jazzer target: the YAML configuration, as startup, {@code meridian check} and hot reload read
 * it. Whatever the text, the only exception is a ConfigException listing at least one problem,
 * and never the "internal error" one the loader wraps around a RuntimeException of ours; loading
 * the same text twice gives the same result. Relative paths resolve in an empty temp directory
 * that holds one readable file, {@code users.txt}.
 */
class ConfigLoaderFuzzTest {
    private static final Map<String, String> ENV = Map.of("PGPASS", "s3cret", "PORT", "6432", "EMPTY", "",
            "FLY_REGION", "lhr");
    private static final Path BASE_DIR = baseDir();

    @FuzzTest
    void parse(byte[] data) {
        String yaml = new String(data, StandardCharsets.UTF_8);
        String first = load(yaml);
        assertThat(load(yaml)).as("loading the same text again").isEqualTo(first);
    }

    /** The config's toString, or its problems: either way what an operator would see. */
    private static String load(String yaml) {
        try {
            return ConfigLoader.parse(yaml, ENV, BASE_DIR).toString();
        } catch (ConfigException e) {
            assertThat(e.getCause()).as("an internal error (a bug, not a config problem)").isNull();
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
            return "problems: " + e.problems();
        }
    }

    private static Path baseDir() {
        try {
            Path dir = Files.createTempDirectory("meridian-config-fuzz");
            Files.writeString(dir.resolve("users.txt"), "\"alice\" \"md5" + "0".repeat(32) + "\"\n");
            dir.toFile().deleteOnExit();
            dir.resolve("users.txt").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
