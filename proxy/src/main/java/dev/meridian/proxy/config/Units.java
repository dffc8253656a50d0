package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 500ms 2s 5m 1h 1d}; a plain number is seconds) and sizes ({@code 1024B 64kB
 * 512MB 1GB 1TB}, units case-insensitive; a plain number is bytes). Sizes use binary multiples
 * like PostgreSQL: 1kB = 1024 bytes. Only whole numbers, so "1.5s" must be written "1500ms".
 */
public final class Units {

    private static final Pattern AMOUNT = Pattern.compile("([0-9]{1,18})([A-Za-z]*)");

    private static final Map<String, Long> MILLIS_PER_UNIT = Map.of(
            "", 1000L, "ms", 1L, "s", 1000L, "m", 60_000L, "h", 3_600_000L, "d", 86_400_000L);

    private static final Map<String, Long> BYTES_PER_UNIT = Map.of(
            "", 1L, "b", 1L, "kb", 1L << 10, "mb", 1L << 20, "gb", 1L << 30, "tb", 1L << 40);

    private Units() {}

    /** @throws IllegalArgumentException with a message suitable after a config path */
    public static Duration parseDuration(String text) {
        Matcher m = AMOUNT.matcher(text);
        Long unit = m.matches() ? MILLIS_PER_UNIT.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException(KeyPath.quote(text)
                    + " is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)");
        }
        return Duration.ofMillis(multiply(m.group(1), unit, text));
    }

    /** @throws IllegalArgumentException with a message suitable after a config path */
    public static long parseSize(String text) {
        Matcher m = AMOUNT.matcher(text);
        Long unit = m.matches() ? BYTES_PER_UNIT.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException(KeyPath.quote(text)
                    + " is not a size (use e.g. 1024B, 64kB, 512MB, 1GB)");
        }
        return multiply(m.group(1), unit, text);
    }

    private static long multiply(String digits, long unit, String text) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(KeyPath.quote(text) + " is too large");
        }
    }

    /** The shortest exact spelling, e.g. {@code 2s}, {@code 1500ms}, {@code 5m}. */
    public static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        String[] names = {"d", "h", "m", "s"};
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        for (int i = 0; i < names.length; i++) {
            if (millis != 0 && millis % sizes[i] == 0) {
                return millis / sizes[i] + names[i];
            }
        }
        return millis + "ms";
    }

    /** The shortest exact spelling, e.g. {@code 1GB}, {@code 64kB}, {@code 1000B}. */
    public static String formatSize(long bytes) {
        String[] names = {"TB", "GB", "MB", "kB"};
        for (int i = 0; i < names.length; i++) {
            long unit = 1L << (40 - 10 * i);
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + names[i];
            }
        }
        return bytes + "B";
    }
}
