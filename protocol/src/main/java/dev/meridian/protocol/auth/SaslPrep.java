package dev.meridian.protocol.auth;

import java.text.Normalizer;
import java.util.Objects;

/**
 * SASLprep (RFC 4013, the RFC 3454 stringprep profile for passwords) with PostgreSQL's lenient
 * twist from {@code pg_saslprep()} (src/common/saslprep.c): a password that SASLprep rejects
 * (prohibited characters, bidi violations, invalid UTF-8, empty after mapping) is not an error,
 * it is used exactly as given. Both libpq and the server do this, so we must too, or such
 * passwords would hash differently here than in PostgreSQL.
 *
 * <p>Approximations, documented because they can matter for exotic passwords: NFKC comes from
 * {@link Normalizer} and unassigned code points (RFC 3454 table A.1, Unicode 3.2) from {@link
 * Character#isDefined}, both at the JDK's Unicode version; PostgreSQL uses its own, also newer,
 * normalization tables but the Unicode 3.2 table A.1. A password containing a character
 * assigned after Unicode 3.2 is prohibited (used raw) by PostgreSQL but prepared here; the
 * results differ only if preparation changes such a password.
 */
public final class SaslPrep {

    private SaslPrep() {}

    /** Returns the SASLprep form of {@code password}, or {@code password} itself if invalid. */
    public static String prepare(String password) {
        Objects.requireNonNull(password, "password");
        // pg_saslprep: "An ASCII string requires no further processing" -- even control chars.
        if (password.chars().allMatch(c -> c < 0x80) || hasLoneSurrogate(password)) {
            return password;
        }
        String mapped = map(password);
        if (mapped.isEmpty()) {
            return password; // pg_saslprep treats "empty after mapping" as prohibited
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        if (isProhibited(normalized) || violatesBidi(normalized)) {
            return password;
        }
        return normalized;
    }

    /** RFC 4013 section 2.1: C.1.2 non-ASCII spaces become SPACE, B.1 characters vanish. */
    private static String map(String input) {
        StringBuilder out = new StringBuilder(input.length());
        input.codePoints().forEach(cp -> {
            // Order matters: U+200B is in both tables; PostgreSQL checks spaces first.
            if (SaslPrepTables.in(SaslPrepTables.NON_ASCII_SPACE, cp)) {
                out.append(' ');
            } else if (!SaslPrepTables.in(SaslPrepTables.MAPPED_TO_NOTHING, cp)) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** RFC 4013 sections 2.3 and 2.5: prohibited output and unassigned code points. */
    private static boolean isProhibited(String output) {
        return output.codePoints().anyMatch(cp -> SaslPrepTables.isProhibited(cp)
                || !Character.isDefined(cp));
    }

    /**
     * RFC 3454 section 6: a string with any RandALCat character must contain no LCat character,
     * and must start and end with a RandALCat character.
     */
    private static boolean violatesBidi(String output) {
        int[] cps = output.codePoints().toArray();
        boolean anyRandAL = false;
        boolean anyL = false;
        for (int cp : cps) {
            anyRandAL |= isRandAL(cp);
            anyL |= Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (!anyRandAL) {
            return false;
        }
        return anyL || !isRandAL(cps[0]) || !isRandAL(cps[cps.length - 1]);
    }

    private static boolean isRandAL(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** A lone surrogate is the Java analogue of the invalid UTF-8 pg_saslprep refuses. */
    private static boolean hasLoneSurrogate(String s) {
        return s.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
    }
}
