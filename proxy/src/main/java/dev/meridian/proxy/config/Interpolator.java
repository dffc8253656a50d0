package dev.meridian.proxy.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in one scalar with environment values.
 *
 * <ul>
 *   <li>{@code :-} uses the default when the variable is unset <em>or empty</em>, as in the shell.
 *   <li>The default may itself contain references: {@code ${A:-${B:-x}}}.
 *   <li>Substituted values are inserted literally, never expanded again, so an environment value
 *       containing {@code ${...}} or {@code $$} stays as it is.
 *   <li>{@code $$} is a literal {@code $}; a {@code $} not followed by {@code {} or {@code $} is
 *       kept as is (so {@code $1} in an auth_query needs no escaping).
 * </ul>
 *
 * <p>Problems never quote the scalar: it may be a password.
 */
final class Interpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_NESTING = 8;

    private final Map<String, String> env;

    Interpolator(Map<String, String> env) {
        this.env = env;
    }

    /** The expanded text, or null after adding the reasons to {@code problems}. */
    String apply(String text, List<String> problems) {
        int before = problems.size();
        String result = expand(text, problems, 0);
        return problems.size() == before ? result : null;
    }

    private String expand(String text, List<String> problems, int depth) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '$' && next == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && next == '{') {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    problems.add("unterminated ${ (write $$ for a literal $)");
                    return null;
                }
                out.append(resolve(text.substring(i + 2, end), problems, depth));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Index of the '}' closing a reference whose body starts at {@code from}, or -1. */
    private static int closingBrace(String text, int from) {
        int open = 1;
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            char next = j + 1 < text.length() ? text.charAt(j + 1) : 0;
            if (c == '$' && (next == '$' || next == '{')) {
                open += next == '{' ? 1 : 0;
                j++;
            } else if (c == '}' && --open == 0) {
                return j;
            }
        }
        return -1;
    }

    private String resolve(String body, List<String> problems, int depth) {
        int sep = body.indexOf(":-");
        String name = sep < 0 ? body : body.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            problems.add("invalid ${...}: a variable name is letters, digits and _"
                    + " (write $$ for a literal $)");
            return "";
        }
        String value = env.get(name);
        if (sep < 0) {
            if (value == null) {
                problems.add("environment variable " + name + " is not set");
                return "";
            }
            return value;
        }
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (depth >= MAX_NESTING) {
            problems.add("${...} defaults nested too deeply");
            return "";
        }
        String fallback = expand(body.substring(sep + 2), problems, depth + 1);
        return fallback == null ? "" : fallback;
    }
}
