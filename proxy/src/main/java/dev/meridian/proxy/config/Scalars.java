package dev.meridian.proxy.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Parsers for scalar text that throw {@link IllegalArgumentException} with a message meant to
 * follow a config path, e.g. {@code "abc" is not a number}. The YAML tree keeps every scalar as
 * text, so these decide what counts as a number, not YAML's type guessing ({@code 0x1F},
 * {@code 1_000} and {@code .inf} are not numbers here).
 */
final class Scalars {

    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]{1,18}");
    private static final Pattern FRACTION = Pattern.compile("[+-]?[0-9]*\\.[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile(
            "[+-]?([0-9]{1,20}\\.?[0-9]{0,20}|\\.[0-9]{1,20})([eE][+-]?[0-9]{1,3})?");

    private Scalars() {}

    static long wholeNumber(String text) {
        if (WHOLE.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        boolean fraction = FRACTION.matcher(text).matches();
        throw new IllegalArgumentException(
                KeyPath.quote(text) + (fraction ? " is not a whole number" : " is not a number"));
    }

    static double decimal(String text) {
        if (DECIMAL.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        throw new IllegalArgumentException(KeyPath.quote(text) + " is not a number");
    }

    /** Null when {@code file} is a readable regular file, else what is wrong with it. */
    static String unreadableFileProblem(Path file) {
        if (Files.isDirectory(file)) {
            return file + " is a directory, not a file";
        }
        if (!Files.exists(file)) {
            return "file " + file + " does not exist";
        }
        return Files.isReadable(file) ? null : "file " + file + " is not readable";
    }
}
