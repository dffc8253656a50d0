package dev.meridian.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SASLprep (RFC 4013) as PostgreSQL applies it: invalid input is used unchanged. */
class SaslPrepTest {

    @Test
    void asciiIsUnchanged() {
        assertThat(SaslPrep.prepare("Pa55 word!~")).isEqualTo("Pa55 word!~");
    }

    @Test
    void asciiControlCharactersAreKeptLikePostgres() {
        // pg_saslprep returns pure ASCII untouched, before any prohibition check.
        assertThat(SaslPrep.prepare("tab\there")).isEqualTo("tab\there");
    }

    @Test
    void noBreakSpaceBecomesSpace() {
        assertThat(SaslPrep.prepare("a\u00A0b")).isEqualTo("a b");
    }

    @Test
    void ideographicSpaceBecomesSpace() {
        assertThat(SaslPrep.prepare("a\u3000b\u00e9")).isEqualTo("a b\u00e9");
    }

    @Test
    void softHyphenIsRemoved() {
        assertThat(SaslPrep.prepare("pass\u00ADword")).isEqualTo("password");
    }

    @Test
    void zeroWidthSpaceMapsToSpaceAsInPostgres() {
        // U+200B is in both C.1.2 and B.1; PostgreSQL checks the space table first.
        assertThat(SaslPrep.prepare("a\u200Bb\u00e9")).isEqualTo("a b\u00e9");
    }

    @Test
    void compatibilityCharactersAreNfkcNormalized() {
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
    }

    @Test
    void combiningSequenceIsComposed() {
        assertThat(SaslPrep.prepare("e\u0301")).isEqualTo("\u00e9");
    }

    @Test
    void prohibitedCharacterLeavesPasswordUnchanged() {
        String password = "caf\u00e9\u0007\u00A0";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }

    @Test
    void privateUseCharacterLeavesPasswordUnchanged() {
        String password = "\uE000\u00A0";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }

    @Test
    void mixedDirectionLeavesPasswordUnchanged() {
        String password = "\u05D0a\u00A0";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }

    @Test
    void rightToLeftStringIsAccepted() {
        assertThat(SaslPrep.prepare("\u05D0\u05D1")).isEqualTo("\u05D0\u05D1");
    }

    @Test
    void rightToLeftStringMustEndWithRightToLeft() {
        String password = "\u05D01\u00A0";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }

    @Test
    void unassignedCodePointLeavesPasswordUnchanged() {
        String password = "\u0378\u00e9";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }

    @Test
    void emptyAfterMappingLeavesPasswordUnchanged() {
        assertThat(SaslPrep.prepare("\u00AD")).isEqualTo("\u00AD");
    }

    @Test
    void loneSurrogateLeavesPasswordUnchanged() {
        String password = "a\uD800\u00e9";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }

    @Test
    void supplementaryTaggingCharacterLeavesPasswordUnchanged() {
        String password = "a" + new String(Character.toChars(0xE0041)) + "\u00e9";

        assertThat(SaslPrep.prepare(password)).isSameAs(password);
    }
}
