package dev.meridian.proxy.admin;

import dev.meridian.proxy.config.Units;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Values written as a configuration file writes them: plain scalars when safe, else quoted. */
final class YamlText {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@:-]*");
    private static final List<String> RESERVED = List.of("true", "false", "yes", "no", "on", "off", "null", "~");

    private YamlText() {
    }

    /** {@code 2s}, {@code 5m}, {@code 1500ms}; zero is {@code 0}. */
    static String duration(Duration d) {
        return d.isZero() ? "0" : Units.formatDuration(d);
    }

    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(java.util.Locale.ROOT)) && !s.endsWith(":")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String list(List<String> items) {
        return "[" + String.join(", ", items.stream().map(YamlText::scalar).toList()) + "]";
    }
}
