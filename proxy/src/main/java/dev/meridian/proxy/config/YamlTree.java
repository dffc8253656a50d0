package dev.meridian.proxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * Reads YAML into a Jackson tree whose scalars are all {@code TextNode}s holding the source text.
 *
 * <p>We walk the token stream ourselves instead of {@code ObjectMapper.readTree} because the
 * default tree loses what the user wrote: YAML 1.1 turns {@code off} into {@code false} and
 * {@code 0123} into a number, which would corrupt passwords and let {@code proxy_protocol: off}
 * depend on parser quirks. Keeping text lets each field coerce it (and lets a {@code ${PORT}} that
 * expands to digits work where a number is expected). Walking also lets us report duplicate keys,
 * which {@code readTree} silently resolves to the last one, breaking first-match rule order.
 */
final class YamlTree {

    /** Larger than any sane config; guards memory and SnakeYAML's own 3MB code point limit. */
    static final int MAX_CHARS = 3_000_000;
    /** Deeper nesting than any config needs; guards the recursion below. */
    private static final int MAX_DEPTH = 64;

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTree() {}

    /**
     * The document's root (any kind of node; the caller checks it is a map), or null for an empty
     * document. Duplicate keys and aliases are recorded in {@code context} and reading goes on;
     * syntax errors end reading with a {@link ConfigException}.
     */
    static JsonNode read(String yaml, LoadContext context) {
        if (yaml.length() > MAX_CHARS) {
            throw new ConfigException(
                    "the configuration is larger than " + MAX_CHARS + " characters");
        }
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(parser, first, KeyPath.ROOT, 0, context);
            if (parser.nextToken() != null) {
                throw new ConfigException("only one YAML document is allowed (found a second ---)");
            }
            return root;
        } catch (JsonProcessingException e) {
            String problem = YamlErrors.describe(e.getOriginalMessage(), e.getLocation());
            boolean flowReference = problem.contains("flow") && yaml.contains("${");
            throw new ConfigException(problem
                    + (flowReference ? " (inside { } or [ ], quote values that use ${...})" : ""));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException) {
                throw (ConfigException) e;
            }
            throw new ConfigException(YamlErrors.describe(e.getMessage(), (JsonLocation) null));
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token, String path, int depth,
            LoadContext context) throws IOException {
        if (token == null) {
            throw new ConfigException("the YAML ends in the middle of a value");
        }
        if (depth > MAX_DEPTH) {
            throw new ConfigException("invalid YAML at line " + p.currentLocation().getLineNr()
                    + ": nested more than " + MAX_DEPTH + " levels deep");
        }
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // Jackson does not resolve aliases; it would hand us the anchor's name as the value.
            // Not echoed: an unquoted password starting with '*' reads as an alias.
            context.problem(path, "YAML aliases (*name) are not supported;"
                    + " quote values that start with *");
            return MissingNode.getInstance();
        }
        switch (token) {
            case START_OBJECT:
                return map(p, path, depth, context);
            case START_ARRAY:
                return list(p, path, depth, context);
            case VALUE_NULL:
                return NullNode.getInstance();
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return NODES.textNode(p.getText());
            default: // e.g. !!binary, which Jackson reports as an embedded object
                context.problem(path, "unsupported YAML value (" + token + ")");
                return MissingNode.getInstance();
        }
    }

    private static ObjectNode map(JsonParser p, String path, int depth, LoadContext context)
            throws IOException {
        ObjectNode map = NODES.objectNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            String keyPath = KeyPath.key(path, key);
            JsonNode value = value(p, p.nextToken(), keyPath, depth + 1, context);
            if (map.has(key)) {
                context.problem(keyPath, "duplicate key");
            } else {
                map.set(key, value);
            }
        }
        return map;
    }

    private static ArrayNode list(JsonParser p, String path, int depth, LoadContext context)
            throws IOException {
        ArrayNode list = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(value(p, t, KeyPath.index(path, list.size()), depth + 1, context));
        }
        return list;
    }
}
