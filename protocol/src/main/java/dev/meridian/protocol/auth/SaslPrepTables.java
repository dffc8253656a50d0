package dev.meridian.protocol.auth;

/**
 * The RFC 3454 tables SASLprep (RFC 4013) needs, as inclusive {@code [from, to]} pairs. The
 * same tables as PostgreSQL's src/common/saslprep.c.
 */
final class SaslPrepTables {

    /** C.1.2 Non-ASCII space characters (mapped to SPACE by RFC 4013 section 2.1). */
    static final int[] NON_ASCII_SPACE = {
        0x00A0, 0x00A0, 0x1680, 0x1680, 0x2000, 0x200B, 0x202F, 0x202F, 0x205F, 0x205F,
        0x3000, 0x3000,
    };

    /** B.1 Commonly mapped to nothing. */
    static final int[] MAPPED_TO_NOTHING = {
        0x00AD, 0x00AD, 0x034F, 0x034F, 0x1806, 0x1806, 0x180B, 0x180D, 0x200B, 0x200D,
        0x2060, 0x2060, 0xFE00, 0xFE0F, 0xFEFF, 0xFEFF,
    };

    /**
     * RFC 4013 section 2.3 prohibited output: C.1.2, C.2.1, C.2.2, C.3, C.4 (except the
     * U+xFFFE/U+xFFFF pairs of every plane, checked arithmetically), C.5, C.6, C.7, C.8, C.9.
     */
    private static final int[] PROHIBITED = {
        // C.1.2 non-ASCII space
        0x00A0, 0x00A0, 0x1680, 0x1680, 0x2000, 0x200B, 0x202F, 0x202F, 0x205F, 0x205F,
        0x3000, 0x3000,
        // C.2.1 ASCII control
        0x0000, 0x001F, 0x007F, 0x007F,
        // C.2.2 non-ASCII control
        0x0080, 0x009F, 0x06DD, 0x06DD, 0x070F, 0x070F, 0x180E, 0x180E, 0x200C, 0x200D,
        0x2028, 0x2029, 0x2060, 0x2063, 0x206A, 0x206F, 0xFEFF, 0xFEFF, 0xFFF9, 0xFFFC,
        0x1D173, 0x1D17A,
        // C.3 private use
        0xE000, 0xF8FF, 0xF0000, 0xFFFFD, 0x100000, 0x10FFFD,
        // C.4 non-character code points (the first block)
        0xFDD0, 0xFDEF,
        // C.5 surrogate codes
        0xD800, 0xDFFF,
        // C.6 inappropriate for plain text
        0xFFF9, 0xFFFD,
        // C.7 inappropriate for canonical representation
        0x2FF0, 0x2FFB,
        // C.8 change display properties or deprecated
        0x0340, 0x0341, 0x200E, 0x200F, 0x202A, 0x202E, 0x206A, 0x206F,
        // C.9 tagging characters
        0xE0001, 0xE0001, 0xE0020, 0xE007F,
    };

    private SaslPrepTables() {}

    static boolean in(int[] table, int cp) {
        for (int i = 0; i < table.length; i += 2) {
            if (cp >= table[i] && cp <= table[i + 1]) {
                return true;
            }
        }
        return false;
    }

    static boolean isProhibited(int cp) {
        // C.4: U+FFFE, U+FFFF, U+1FFFE, U+1FFFF, ... U+10FFFF.
        return (cp & 0xFFFE) == 0xFFFE || in(PROHIBITED, cp);
    }
}
