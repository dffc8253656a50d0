package dev.meridian.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value of the YAML tree together with its path. Reads never throw: they record a problem
 * against the path and return null, so one load reports every problem.
 *
 * <p>The tree comes from {@link YamlTree}: maps, lists, and scalars kept as their source text
 * (a {@code TextNode} even for {@code 5432} or {@code off}), so each field decides how to read it.
 * A {@code MissingNode} marks a value the reader already reported as unusable; it reads as
 * "nothing, and say nothing more".
 */
final class Node {

    private final JsonNode value; // null when the key is absent
    private final String path;
    private final LoadContext context;

    Node(JsonNode value, String path, LoadContext context) {
        this.value = value;
        this.path = path;
        this.context = context;
    }

    String path() {
        return path;
    }

    LoadContext context() {
        return context;
    }

    /** Not given: key absent, or an explicit YAML null ({@code ~}, {@code null}, nothing). */
    boolean isAbsent() {
        return value == null || value.isNull();
    }

    boolean isBroken() {
        return value != null && value.isMissingNode();
    }

    boolean isMap() {
        return value != null && value.isObject();
    }

    void problem(String message) {
        context.problem(path, message);
    }

    Node child(String key) {
        JsonNode child = isMap() ? value.get(key) : null;
        return new Node(child, KeyPath.key(path, key), context);
    }

    /** True for a map; otherwise reports "must be a map" unless absent or broken. */
    boolean expectMap() {
        return expect(isMap(), "must be a map");
    }

    /** True for a list; otherwise reports "must be a list" unless absent or broken. */
    boolean expectList() {
        return expect(value != null && value.isArray(), "must be a list");
    }

    private boolean expect(boolean ok, String message) {
        if (!ok && !isAbsent() && !isBroken()) {
            problem(message + ", not " + kind());
        }
        return ok;
    }

    /** Keys and values of a map in file order (first-match database rules rely on it). */
    List<Map.Entry<String, Node>> entries() {
        List<Map.Entry<String, Node>> entries = new ArrayList<>();
        if (isMap()) {
            value.fieldNames().forEachRemaining(key -> entries.add(Map.entry(key, child(key))));
        }
        return entries;
    }

    List<Node> items() {
        List<Node> items = new ArrayList<>();
        if (value != null && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                items.add(new Node(value.get(i), KeyPath.index(path, i), context));
            }
        }
        return items;
    }

    /**
     * The scalar with {@code ${VAR}} references expanded; null when absent, broken, not a scalar
     * ("must be {@code what}, not a map") or when expansion failed (reported).
     */
    String text(String what) {
        if (isAbsent() || isBroken()) {
            return null;
        }
        if (!value.isTextual()) {
            problem("must be " + what + ", not " + kind());
            return null;
        }
        List<String> problems = new ArrayList<>();
        String text = context.interpolator().apply(value.textValue(), problems);
        problems.forEach(this::problem);
        return text;
    }

    /** A list of distinct non-empty strings; empty when absent, reporting bad items. */
    List<String> distinctStrings() {
        List<String> values = new ArrayList<>();
        if (!expectList()) {
            return values;
        }
        for (Node item : items()) {
            String text = item.text("a string");
            if (item.isAbsent() || "".equals(text)) {
                item.problem("must not be empty");
            } else if (text != null && values.contains(text)) {
                item.problem("duplicate " + KeyPath.quote(text));
            } else if (text != null) {
                values.add(text);
            }
        }
        return values;
    }

    private String kind() {
        if (value.isObject()) {
            return "a map";
        }
        return value.isArray() ? "a list" : "a single value";
    }
}
