package dev.meridian.proxy.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the startup {@code options} parameter into Meridian's own settings
 * ({@code -c meridian.region=sin}, {@code --meridian.target=read-only}) and the rest, which is
 * forwarded to the backend byte for byte. As in libpq, arguments are separated by spaces and a
 * backslash escapes the next character.
 */
public record StartupOptions(Map<String, String> meridian, String forwarded) {
    private static final String PREFIX = "meridian.";

    public StartupOptions {
        meridian = Collections.unmodifiableMap(new LinkedHashMap<>(meridian));
    }

    public static StartupOptions parse(String options) {
        if (options == null || options.isBlank()) {
            return new StartupOptions(Map.of(), null);
        }
        List<String> tokens = tokenize(options);
        Map<String, String> meridian = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String setting = null;
            int consumed = 1;
            if (token.equals("-c") && i + 1 < tokens.size()) {
                setting = tokens.get(i + 1);
                consumed = 2;
            } else if (token.startsWith("-c")) {
                setting = token.substring(2);
            } else if (token.startsWith("--")) {
                setting = token.substring(2);
            }
            String plain = setting == null ? null : unescape(setting);
            if (plain != null && plain.startsWith(PREFIX) && plain.indexOf('=') > 0) {
                int eq = plain.indexOf('=');
                meridian.put(plain.substring(PREFIX.length(), eq), plain.substring(eq + 1));
            } else {
                kept.addAll(tokens.subList(i, i + consumed));
            }
            i += consumed - 1;
        }
        return new StartupOptions(meridian, kept.isEmpty() ? null : String.join(" ", kept));
    }

    /** Splits on unescaped whitespace, keeping escapes in the tokens so they forward unchanged. */
    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
