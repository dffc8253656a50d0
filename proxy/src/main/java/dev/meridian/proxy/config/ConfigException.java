package dev.meridian.proxy.config;

import java.util.List;

/**
 * The configuration could not be loaded. Carries every problem found, each already prefixed with
 * the path of the offending key ({@code backends[2].port: must be 1..65535}), so that
 * {@code meridian check} and hot reload can print them one per line.
 *
 * <p>Unchecked because callers (startup, reload) can only report it, never recover locally.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", requireSome(problems)));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Every problem, in the order found; never empty. */
    public List<String> problems() {
        return problems;
    }

    private static List<String> requireSome(List<String> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems;
    }
}
