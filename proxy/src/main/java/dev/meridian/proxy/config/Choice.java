package dev.meridian.proxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Maps config words to enum constants by one rule, so no enum needs its own table: the word is
 * the constant's name in lower case with '-' for '_' ({@code SCRAM_SHA_256} is
 * {@code scram-sha-256}, {@code VERIFY_FULL} is {@code verify-full}). Matching ignores case.
 */
final class Choice {

    private Choice() {}

    static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant spelled {@code text}, or null. */
    static <E extends Enum<E>> E parse(String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (word(constant).equalsIgnoreCase(text)) {
                return constant;
            }
        }
        return null;
    }

    /** "must be one of a, b, c (got "x")". */
    static <E extends Enum<E>> String problem(String text, Class<E> type) {
        String words = Arrays.stream(type.getEnumConstants())
                .map(Choice::word)
                .collect(Collectors.joining(", "));
        return "must be one of " + words + " (got " + KeyPath.quote(text) + ")";
    }
}
