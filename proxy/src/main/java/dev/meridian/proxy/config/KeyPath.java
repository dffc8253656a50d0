package dev.meridian.proxy.config;

import java.util.regex.Pattern;

/**
 * Builds the paths that prefix problem messages: dotted keys, list indexes in brackets, and map
 * keys that are not plain identifiers in double quotes ({@code databases."*".prefer}), so a user
 * can always tell which key is meant even when it contains dots or spaces.
 */
final class KeyPath {

    static final String ROOT = "";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private KeyPath() {}

    static String key(String parent, String key) {
        String shown = IDENTIFIER.matcher(key).matches() ? key : quote(key);
        return parent.isEmpty() ? shown : parent + "." + shown;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** Prefixes a message with its path; problems about the whole file carry no path. */
    static String problem(String path, String message) {
        return path.isEmpty() ? message : path + ": " + message;
    }

    /**
     * Double-quotes a user-supplied string for a message, escaping quotes, backslashes and
     * control characters (keys may come from garbage input) and shortening very long text.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64) + 2).append('"');
        int shown = Math.min(text.length(), 60);
        if (shown < text.length() && Character.isHighSurrogate(text.charAt(shown - 1))) {
            shown--; // never cut a surrogate pair in half
        }
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || isLoneSurrogate(text, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < text.length()) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c)
                && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }
}
