package dev.meridian.proxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a YAML parser error into one line that is safe to print. SnakeYAML messages quote the
 * offending source lines (which may hold a password) in indented snippet lines, and Jackson may
 * dump whole parser events; we keep only the unindented description lines, drop event dumps, and
 * give the position instead.
 */
final class YamlErrors {

    private static final Pattern EVENT_DUMP =
            Pattern.compile("<org\\.yaml\\.snakeyaml\\.[^\\s(]*?(\\w+)Event\\(.*\\)>");
    private static final Pattern POSITION =
            Pattern.compile(" in '[^']*', line (\\d+), column (\\d+):?");
    private static final int MAX_LENGTH = 300;

    private YamlErrors() {}

    static String describe(String message, JsonLocation location) {
        List<String> parts = new ArrayList<>();
        String position = location == null || location.getLineNr() < 1 ? null
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
        for (String line : String.valueOf(message).split("\\R")) {
            Matcher at = POSITION.matcher(line);
            if (at.matches()) {
                // The problem's own mark: more precise than Jackson's token location.
                position = "line " + at.group(1) + ", column " + at.group(2);
            } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(EVENT_DUMP.matcher(line).replaceAll("$1"));
            }
        }
        String description = parts.isEmpty() ? "unreadable input" : String.join("; ", parts);
        if (description.length() > MAX_LENGTH) {
            description = description.substring(0, MAX_LENGTH) + "...";
        }
        return "invalid YAML" + (position == null ? "" : " at " + position) + ": " + description;
    }
}
