package dev.meridian.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which message bodies are in canonical form: the one form the encoder writes, so decoding
 * then re-encoding must give back the same bytes. The decoders accept more (trailing bytes,
 * invalid UTF-8, repeated names, a count that disagrees with the list), and normalise it; for
 * such bodies the fuzz targets check the decoded record survives a second round trip instead.
 * Written from the protocol's Message Formats chapter, not from the decoders.
 */
final class CanonicalForm {
    private CanonicalForm() {
    }

    /** StartupMessage after the version: (name NUL value NUL)* NUL, names distinct and non-empty. */
    static boolean startupParameters(byte[] body) {
        List<byte[]> s = cStrings(body, 0);
        if (s == null || s.isEmpty() || s.get(s.size() - 1).length != 0 || s.size() % 2 == 0) {
            return false;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i + 1 < s.size(); i += 2) {
            if (s.get(i).length == 0 || !strictUtf8(s.get(i)) || !names.add(utf8(s.get(i)))
                    || !strictUtf8(s.get(i + 1))) {
                return false;
            }
        }
        return true;
    }

    /** A backend control message body (Authentication, ParameterStatus, ...), by type byte. */
    static boolean backendBody(byte type, byte[] body) {
        return switch (type) {
            case 'R' -> authentication(body);
            case 'S' -> listOf(cStrings(body, 0), 2) && allStrictUtf8(cStrings(body, 0));
            case 'E', 'N' -> noticeFields(body);
            case 'v' -> negotiateProtocolVersion(body);
            default -> true; // BackendKeyData and ReadyForQuery decoders accept only canonical bodies
        };
    }

    private static boolean authentication(byte[] body) {
        int code = int32(body, 0);
        return switch (code) {
            case 5 -> body.length == 8;
            case 10 -> terminatedList(cStrings(body, 4)) && allStrictUtf8(cStrings(body, 4));
            case 11, 12 -> true;
            default -> body.length == 4;
        };
    }

    /** (code byte, value NUL)* NUL, codes distinct. The code byte itself may be any non-zero byte. */
    private static boolean noticeFields(byte[] body) {
        List<byte[]> s = cStrings(body, 0);
        if (!terminatedList(s)) {
            return false;
        }
        Set<Byte> codes = new HashSet<>();
        for (byte[] field : s.subList(0, s.size() - 1)) {
            byte[] value = java.util.Arrays.copyOfRange(field, 1, field.length);
            if (!codes.add(field[0]) || !strictUtf8(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean negotiateProtocolVersion(byte[] body) {
        List<byte[]> names = cStrings(body, 8);
        return body.length >= 8 && listOf(names, int32(body, 4)) && allStrictUtf8(names);
    }

    /** Non-empty strings, then one empty one: a list ended by an extra NUL, nothing after. */
    private static boolean terminatedList(List<byte[]> s) {
        if (s == null || s.isEmpty() || s.get(s.size() - 1).length != 0) {
            return false;
        }
        return s.subList(0, s.size() - 1).stream().allMatch(b -> b.length > 0);
    }

    private static boolean listOf(List<byte[]> s, int count) {
        return s != null && s.size() == count;
    }

    /** The NUL-terminated strings from {@code from} to the end, or null if bytes trail the last NUL. */
    static List<byte[]> cStrings(byte[] body, int from) {
        if (from > body.length) {
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        int start = from;
        for (int i = from; i < body.length; i++) {
            if (body[i] == 0) {
                out.add(java.util.Arrays.copyOfRange(body, start, i));
                start = i + 1;
            }
        }
        return start == body.length ? out : null;
    }

    private static boolean allStrictUtf8(List<byte[]> s) {
        return s != null && s.stream().allMatch(CanonicalForm::strictUtf8);
    }

    static boolean strictUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static int int32(byte[] b, int at) {
        return at + 4 > b.length ? -1
                : (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }
}
