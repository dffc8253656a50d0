package dev.meridian.proxy.config;

import dev.meridian.proxy.testing.RepoRoot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every key the configuration loader accepts is documented somewhere under {@code docs/}.
 *
 * <p>The key list is not written down here: it is what the binders themselves declare. Every map
 * the loader reads goes through {@link Fields#of}, which records its path and accepted keys in
 * the {@link LoadContext}. Starting from an empty file, the crawl below gives each accepted key a
 * map ({@code {}}), a list of one map ({@code [{}]}) or a map of one named map
 * ({@code {x: {}}}) in turn, keeps the first shape under which the loader opens further maps, and
 * repeats until nothing new is opened; keys that open nothing are scalars. A section another
 * helper adds is found the same way, as long as it is read with {@link Fields}.
 *
 * <p>A key counts as documented when some {@code docs/*.md} file shows it as a YAML key
 * ({@code min_idle:}), in backticks ({@code `min_idle`}) or at the end of a dotted path
 * ({@code `pool.min_idle`}).
 */
class DocumentedKeysTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<Supplier<JsonNode>> SHAPES = List.of(
            JSON::objectNode,
            () -> JSON.arrayNode().add(JSON.objectNode()),
            () -> JSON.objectNode().set("x", JSON.objectNode()));

    @Test
    void everyAcceptedKeyAppearsInTheDocs() throws IOException {
        Map<String, List<String>> schema = crawl();
        String docs = docsText();
        List<String> missing = new ArrayList<>();
        schema.forEach((path, keys) -> keys.forEach(key -> {
            Pattern shown = Pattern.compile("(^|[\\s{,.`(\\[])" + Pattern.quote(key) + "(:|`)",
                    Pattern.MULTILINE);
            if (!shown.matcher(docs).find()) {
                missing.add(KeyPath.key(path, key));
            }
        }));
        assertEquals(List.of(), missing, "keys the loader accepts but docs/ never mentions");
    }

    @Test
    void theCrawlReachesNestedListsAndNamedMaps() {
        Map<String, List<String>> schema = crawl();
        assertTrue(schema.get("").contains("backends"), schema.toString());
        assertTrue(schema.get("backends[0]").contains("host"), schema.toString());
        assertTrue(schema.get("backends[0].tls").contains("ca"), schema.toString());
        assertTrue(schema.get("regions.x").contains("lat"), schema.toString());
        assertTrue(schema.get("databases.x").contains("prefer"), schema.toString());
        assertTrue(schema.get("auth.failure_backoff").contains("window"), schema.toString());
    }

    /** Accepted keys by path of the map that accepts them, over every shape the loader reads. */
    static Map<String, List<String>> crawl() {
        ObjectNode root = JSON.objectNode();
        Map<String, ObjectNode> maps = new LinkedHashMap<>(Map.of(KeyPath.ROOT, root));
        List<String> decided = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, List<String>> entry : load(root).entrySet()) {
                ObjectNode parent = maps.get(entry.getKey());
                for (String key : parent == null ? List.<String>of() : entry.getValue()) {
                    String path = KeyPath.key(entry.getKey(), key);
                    if (!decided.contains(path)) {
                        decided.add(path);
                        shape(root, parent, key, path, maps);
                        progress = true;
                    }
                }
            }
        }
        return load(root);
    }

    /** Leaves under {@code key} the first shape the loader opens a map in, or nothing. */
    private static void shape(ObjectNode root, ObjectNode parent, String key, String path,
            Map<String, ObjectNode> maps) {
        for (Supplier<JsonNode> shape : SHAPES) {
            JsonNode value = shape.get();
            parent.set(key, value);
            boolean opened = load(root).keySet().stream().anyMatch(p -> p.equals(path)
                    || p.startsWith(path + ".") || p.startsWith(path + "["));
            if (opened) {
                if (value.isObject() && value.has("x")) {
                    maps.put(KeyPath.key(path, "x"), (ObjectNode) value.get("x"));
                } else if (value.isArray()) {
                    maps.put(KeyPath.index(path, 0), (ObjectNode) value.get(0));
                } else {
                    maps.put(path, (ObjectNode) value);
                }
                return;
            }
        }
        parent.remove(key);
    }

    private static Map<String, List<String>> load(JsonNode root) {
        LoadContext context = new LoadContext(Map.of(), Path.of("").toAbsolutePath());
        try {
            ConfigBinder.bind(root.deepCopy(), context);
        } catch (RuntimeException expected) { // ConfigException above all
            // an empty or half-filled file is wrong (and odd shapes are the fuzz tests' business);
            // what matters here is which maps were opened
        }
        return context.acceptedKeys();
    }

    private static String docsText() throws IOException {
        Path docs = RepoRoot.path().resolve("docs");
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(docs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        return text.toString();
    }
}
