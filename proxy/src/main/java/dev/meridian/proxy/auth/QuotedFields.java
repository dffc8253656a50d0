package dev.meridian.proxy.auth;

import java.util.ArrayList;
import java.util.List;

/** Splits {@code "a" "b ""quoted"" c"} into its fields, as PgBouncer's auth_file parser does. */
final class QuotedFields {
    private QuotedFields() {
    }

    /** The fields, or null when the line is not a sequence of quoted strings. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c != '"') {
                return null;
            }
            StringBuilder field = new StringBuilder();
            i++;
            while (true) {
                if (i >= line.length()) {
                    return null;
                }
                char d = line.charAt(i++);
                if (d == '"') {
                    if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    field.append(d);
                }
            }
            fields.add(field.toString());
        }
        return fields;
    }
}
