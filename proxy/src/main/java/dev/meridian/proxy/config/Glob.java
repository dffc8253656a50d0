package dev.meridian.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Shell-style patterns for database names, as fnmatch(3) without flags: {@code *} any run of
 * characters, {@code ?} one character, {@code [abc]}, {@code [a-c]}, {@code [!a-c]} or
 * {@code [^a-c]} one character of a set, {@code \} makes the next character literal. Matching is
 * case-sensitive and by code point. Unlike fnmatch, an unterminated {@code [} is a syntax error
 * rather than a literal, because in a config file it is almost certainly a typo.
 */
final class Glob {

    /** Marks a {@code *} in the token list; every other token matches exactly one character. */
    private static final IntPredicate STAR = c -> true;

    private Glob() {}

    /** Null when {@code pattern} is well formed, else what is wrong with it. */
    static String syntaxError(String pattern) {
        try {
            tokens(pattern);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The one name a pattern matches when it has no wildcard ({@code *}, {@code ?},
     * {@code [...]}), with its {@code \} escapes resolved; null for a real glob.
     */
    static String literal(String pattern) {
        StringBuilder name = new StringBuilder(pattern.length());
        int[] p = pattern.codePoints().toArray();
        for (int i = 0; i < p.length; i++) {
            int c = p[i];
            if (c == '*' || c == '?' || c == '[') {
                return null;
            }
            name.appendCodePoint(c == '\\' ? escaped(p, ++i) : c);
        }
        return name.toString();
    }

    static boolean matchesEverything(String pattern) {
        return !pattern.isEmpty() && pattern.chars().allMatch(c -> c == '*');
    }

    static boolean matches(String pattern, String name) {
        List<IntPredicate> tokens = tokens(pattern);
        int[] chars = name.codePoints().toArray();
        // Iterative wildcard matching: on a mismatch, let the last * swallow one more character.
        int t = 0;
        int c = 0;
        int starToken = -1;
        int starChar = -1;
        while (c < chars.length) {
            if (t < tokens.size() && tokens.get(t) == STAR) {
                starToken = t++;
                starChar = c;
            } else if (t < tokens.size() && tokens.get(t).test(chars[c])) {
                t++;
                c++;
            } else if (starToken >= 0) {
                t = starToken + 1;
                c = ++starChar;
            } else {
                return false;
            }
        }
        while (t < tokens.size() && tokens.get(t) == STAR) {
            t++;
        }
        return t == tokens.size();
    }

    private static List<IntPredicate> tokens(String pattern) {
        int[] p = pattern.codePoints().toArray();
        List<IntPredicate> tokens = new ArrayList<>();
        int i = 0;
        while (i < p.length) {
            int c = p[i++];
            if (c == '*') {
                tokens.add(STAR);
            } else if (c == '?') {
                tokens.add(x -> true);
            } else if (c == '[') {
                i = bracket(p, i, tokens);
            } else {
                int literal = c == '\\' ? escaped(p, i++) : c;
                tokens.add(x -> x == literal);
            }
        }
        return tokens;
    }

    /** Parses the set after a {@code [} at {@code i}; returns the index after its {@code ]}. */
    private static int bracket(int[] p, int i, List<IntPredicate> tokens) {
        boolean negated = i < p.length && (p[i] == '!' || p[i] == '^');
        if (negated) {
            i++;
        }
        IntPredicate set = x -> false;
        boolean first = true;
        while (i < p.length && (p[i] != ']' || first)) {
            first = false;
            int low = p[i] == '\\' ? escaped(p, ++i) : p[i];
            i++;
            int high = low;
            if (i + 1 < p.length && p[i] == '-' && p[i + 1] != ']') {
                high = p[i + 1] == '\\' ? escaped(p, i + 2) : p[i + 1];
                i += p[i + 1] == '\\' ? 3 : 2;
                if (high < low) {
                    throw new IllegalArgumentException("empty range in [...]");
                }
            }
            int lo = low;
            int hi = high;
            set = set.or(x -> x >= lo && x <= hi);
        }
        if (i >= p.length) {
            throw new IllegalArgumentException("unterminated [ (write \\[ for a literal [)");
        }
        tokens.add(negated ? set.negate() : set);
        return i + 1;
    }

    private static int escaped(int[] p, int i) {
        if (i >= p.length) {
            throw new IllegalArgumentException("ends with a lone \\");
        }
        return p[i];
    }
}
