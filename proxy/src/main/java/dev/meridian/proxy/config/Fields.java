package dev.meridian.proxy.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads of the keys of one YAML map. Unknown keys are reported as soon as the map is opened;
 * every read reports its own problems against the key's path and falls back to the default (or
 * null), so binding continues and all problems surface in one pass.
 */
final class Fields {

    private final Node map;
    /** Set when the map itself was unusable and already reported: stay quiet about its keys. */
    private final boolean silent;

    private Fields(Node map, boolean silent) {
        this.map = map;
        this.silent = silent;
    }

    /** An optional section: absent means "all defaults". */
    static Fields of(Node node, String... keys) {
        node.context().accepts(node.path(), keys);
        boolean isMap = node.expectMap();
        if (isMap) {
            reportUnknown(node, keys);
        }
        return new Fields(node, !isMap && !node.isAbsent());
    }

    /** A map that must be there, such as a list item. */
    static Fields required(Node node, String... keys) {
        if (node.isAbsent()) {
            node.problem("must be a map");
            return new Fields(node, true);
        }
        return of(node, keys);
    }

    private static void reportUnknown(Node node, String[] keys) {
        List<String> known = List.of(keys);
        for (Map.Entry<String, Node> entry : node.entries()) {
            if (!known.contains(entry.getKey())) {
                entry.getValue().problem("unknown key (expected " + String.join(", ", keys) + ")");
            }
        }
    }

    Node node(String key) {
        return map.child(key);
    }

    boolean has(String key) {
        return !node(key).isAbsent();
    }

    String path(String key) {
        return node(key).path();
    }

    void problem(String key, String message) {
        node(key).problem(message);
    }

    /** Problems reported so far in this load; compare before and after a read to see if it failed. */
    int problemCount() {
        return map.context().problems().size();
    }

    /** An optional string; an empty one counts as not given (handy with {@code ${VAR:-}}). */
    String string(String key) {
        String text = node(key).text("a string");
        return text == null || text.isEmpty() ? null : text;
    }

    String string(String key, String fallback) {
        String text = string(key);
        return text == null ? fallback : text;
    }

    String requiredString(String key) {
        Node node = node(key);
        if (node.isAbsent()) {
            if (!silent) {
                node.problem("is required");
            }
            return null;
        }
        String text = node.text("a string");
        if (text != null && text.isBlank()) {
            node.problem("must not be empty");
            return null;
        }
        return text;
    }

    int integer(String key, int fallback, int min, int max) {
        Long value = parse(key, "a number", Scalars::wholeNumber);
        if (value != null && (value < min || value > max)) {
            problem(key, max == Integer.MAX_VALUE
                    ? "must be at least " + min
                    : "must be " + min + ".." + max);
            return fallback;
        }
        return value == null ? fallback : value.intValue();
    }

    /** A required decimal number within [min, max]; null when missing or wrong. */
    Double decimal(String key, double min, double max) {
        if (!has(key) && !silent) {
            problem(key, "is required");
        }
        Double value = parse(key, "a number", Scalars::decimal);
        if (value != null && (value < min || value > max)) {
            problem(key, "must be between " + (long) min + " and " + (long) max);
            return null;
        }
        return value;
    }

    /** A duration, positive unless {@code zeroAllowed}. */
    Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        Duration value = parse(key, "a duration", Units::parseDuration);
        if (value != null && value.isZero() && !zeroAllowed) {
            problem(key, "must be greater than 0");
            return fallback;
        }
        return value == null ? fallback : value;
    }

    long size(String key, long fallback, long min, long max) {
        Long value = parse(key, "a size", Units::parseSize);
        if (value != null && (value < min || value > max)) {
            problem(key, "must be between " + Units.formatSize(min) + " and "
                    + Units.formatSize(max));
            return fallback;
        }
        return value == null ? fallback : value;
    }

    /** The key's text run through {@code parser}; null when absent or reported as wrong. */
    private <T> T parse(String key, String what, Function<String, T> parser) {
        String text = node(key).text(what);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        String text = string(key);
        if (text == null) {
            return fallback;
        }
        E value = Choice.parse(text, type);
        if (value == null) {
            problem(key, Choice.problem(text, type));
            return fallback;
        }
        return value;
    }

    /** An optional readable file, resolved against the config's directory; null if not given. */
    Path file(String key) {
        String text = string(key);
        return text == null ? null : readableFile(key, text);
    }

    Path requiredFile(String key) {
        String text = requiredString(key);
        return text == null ? null : readableFile(key, text);
    }

    private Path readableFile(String key, String text) {
        try {
            Path file = map.context().resolve(text);
            String problem = Scalars.unreadableFileProblem(file);
            if (problem == null) {
                return file;
            }
            problem(key, problem);
        } catch (InvalidPathException e) {
            problem(key, KeyPath.quote(text) + " is not a valid path");
        }
        return null;
    }

    /** A list of distinct non-empty strings; empty when not given. */
    List<String> strings(String key) {
        return node(key).distinctStrings();
    }
}
