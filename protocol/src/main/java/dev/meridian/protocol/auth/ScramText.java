package dev.meridian.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Strict, total lexing of SCRAM messages (RFC 5802 section 7): every malformed input becomes a
 * {@link ScramException}, never an unchecked JDK exception.
 */
final class ScramText {

    /**
     * Real SCRAM messages are under 300 bytes; anything this long is hostile or broken, and
     * refusing it early bounds the work done on it.
     */
    static final int MAX_MESSAGE_BYTES = 8192;

    private ScramText() {}

    /**
     * Decodes a message as strict UTF-8. PostgreSQL rejects embedded NUL bytes ("Message length
     * does not match input length", auth-scram.c) and so do we.
     */
    static String decode(byte[] message, String what) {
        if (message == null || message.length == 0) {
            throw ScramException.malformed(what + " is empty");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw ScramException.malformed(what + " is too long");
        }
        for (byte b : message) {
            if (b == 0) {
                throw ScramException.malformed(what + " contains a NUL byte");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ScramException.malformed(what + " is not valid UTF-8");
        }
    }

    /**
     * Splits {@code text} into attributes that must be exactly {@code names}, in that order, and
     * returns their values. Extensions are not accepted anywhere: PostgreSQL neither sends nor
     * needs them, and a strict grammar leaves less room for confusion.
     */
    static String[] attributes(String text, String names, String what) {
        String[] parts = text.split(",", -1);
        String[] values = new String[names.length()];
        for (int i = 0; i < names.length(); i++) {
            char name = names.charAt(i);
            if (i >= parts.length || !parts[i].startsWith(name + "=")) {
                throw ScramException.malformed("attribute \"" + name + "\" expected in " + what);
            }
            values[i] = parts[i].substring(2);
        }
        if (parts.length > names.length()) {
            throw ScramException.malformed("garbage at end of " + what);
        }
        return values;
    }

    /**
     * Decodes canonical base64 only: re-encoding must give back the input, which rejects missing
     * padding and stray bits that {@link Base64.Decoder} would silently accept.
     */
    static byte[] base64(String value, String what) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ScramException.malformed(what + " is not valid base64");
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(value)) {
            throw ScramException.malformed(what + " is not canonical base64");
        }
        return decoded;
    }

    /** A nonce is a non-empty run of printable ASCII except ',' (RFC 5802 "printable"). */
    static String nonce(String value, String what) {
        if (value.isEmpty()) {
            throw ScramException.malformed(what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                throw ScramException.malformed(what + " contains a non-printable character");
            }
        }
        return value;
    }

    /**
     * Parses the iteration count and enforces {@code [1, max]} before anyone derives a key, so a
     * hostile server cannot make us burn CPU.
     */
    static int iterationCount(String value, int max) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ScramException.malformed("iteration count is not a decimal number");
        }
        long count = value.length() > 10 ? Long.MAX_VALUE : Long.parseLong(value);
        if (count < 1 || count > max) {
            throw new ScramException(ScramException.Reason.ITERATION_COUNT_OUT_OF_RANGE,
                    "SCRAM iteration count is outside [1, " + max + "]");
        }
        return (int) count;
    }
}
