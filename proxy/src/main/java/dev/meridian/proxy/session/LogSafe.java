package dev.meridian.proxy.session;

/**
 * Client-chosen text (database, user, application_name, options, and messages that quote
 * them) made safe for a log line: a name holding a newline must not forge a second line.
 * Backslash, {@code \n}, {@code \r} and {@code \t} are escaped as in C; other control
 * characters (C0, DEL, C1) as {@code \xNN}; Unicode line and paragraph separators as
 * {@code \u2028}/{@code \u2029}. Everything else, including non-ASCII letters, is kept.
 * The one helper used wherever such text is logged.
 */
public final class LogSafe {
    private LogSafe() {
    }

    /** {@code text} escaped; "null" for null. */
    public static String text(String text) {
        if (text == null) {
            return "null";
        }
        if (clean(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean clean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || isControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }
}
