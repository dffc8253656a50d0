package dev.meridian.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every metric Meridian defines is documented under {@code docs/}. The names come from the meter
 * definitions themselves ({@link Meters}' {@code meridian.*} constants, as Prometheus spells
 * them: {@code meridian.backend.up} is {@code meridian_backend_up}), not from a list here.
 */
class MetricsDocumentedTest {

    @Test
    void everyMeterIsInTheDocs() throws Exception {
        List<String> names = new ArrayList<>();
        for (Field field : Meters.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                String value = (String) field.get(null);
                if (value.startsWith("meridian.")) {
                    names.add(value.replace('.', '_'));
                }
            }
        }
        assertThat(names).as("meters found").contains("meridian_sessions", "meridian_backend_up");
        String docs = docsText();
        assertThat(names).as("metrics missing from docs/").allSatisfy(name -> assertThat(docs).contains("`" + name));
    }

    private static String docsText() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("docs")) || !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("docs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }
}
