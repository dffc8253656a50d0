package dev.meridian.proxy.config;

import java.util.Locale;

/** YAML booleans for security switches: only {@code true} or {@code false}, nothing guessed. */
final class Flags {
    private Flags() {
    }

    /** The key's boolean; {@code fallback} when absent; a problem naming the key when not a boolean. */
    static boolean read(Fields f, String key, boolean fallback) {
        String text = f.string(key);
        if (text == null) {
            return fallback;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                f.problem(key, "must be true or false, not " + KeyPath.quote(text));
                return fallback;
        }
    }
}
