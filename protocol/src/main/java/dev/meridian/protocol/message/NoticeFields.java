package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.CStrings;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body shared by ErrorResponse and NoticeResponse: (Byte1 field code, String value)*
 * ended by a zero byte. Codes: S severity, V severity (not localized), C SQLSTATE, M message,
 * D detail, H hint, and more that pass through unread.
 */
final class NoticeFields {
    private NoticeFields() {
    }

    static Map<Character, String> decode(ByteBuf body) {
        Map<Character, String> fields = new LinkedHashMap<>();
        while (body.isReadable()) {
            byte code = body.readByte();
            if (code == 0) {
                break;
            }
            fields.put((char) code, CStrings.read(body));
        }
        return Collections.unmodifiableMap(fields);
    }

    static void encode(ByteBuf out, Map<Character, String> fields) {
        fields.forEach((code, value) -> {
            out.writeByte(code);
            CStrings.write(out, value);
        });
        out.writeByte(0);
    }

    static Map<Character, String> of(String severity, String sqlState, String message) {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', severity);
        fields.put('V', severity);
        fields.put('C', sqlState);
        fields.put('M', message);
        return Collections.unmodifiableMap(fields);
    }
}
