package dev.meridian.proxy.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile as its instructions: continuation lines joined, comments and parser directives
 * dropped, each instruction tagged with its build stage (0 for the first {@code FROM}).
 */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(int stage, String keyword, String arguments) {
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        int stage = -1;
        StringBuilder pending = new StringBuilder();
        for (String line : text.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(trimmed).toString().strip();
            pending.setLength(0);
            String[] parts = whole.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(stage, keyword, parts.length > 1 ? parts[1] : ""));
        }
        return new Dockerfile(instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions of the last stage: what ends up in the image. */
    List<Instruction> runtime(String keyword) {
        int last = instructions.get(instructions.size() - 1).stage();
        return all(keyword).stream().filter(i -> i.stage() == last).toList();
    }

    /** The value of {@code ENV name=value} (quotes removed) in the runtime stage. */
    String env(String name) {
        for (Instruction env : runtime("ENV")) {
            if (env.arguments().startsWith(name + "=")) {
                return env.arguments().substring(name.length() + 1).replaceAll("^\"|\"$", "");
            }
        }
        throw new AssertionError("no ENV " + name + " in the runtime stage");
    }
}
