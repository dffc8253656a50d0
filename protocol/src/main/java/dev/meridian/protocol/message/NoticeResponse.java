package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** NoticeResponse ('N'): same fields as ErrorResponse; informational, the session goes on. */
public record NoticeResponse(Map<Character, String> fields) implements BackendMessage {
    public NoticeResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static NoticeResponse decode(ByteBuf body) {
        return new NoticeResponse(NoticeFields.decode(body));
    }

    public String message() {
        return fields.get('M');
    }

    public void encode(ByteBuf out) {
        MessageWriter.write(out, 'N', b -> NoticeFields.encode(b, fields));
    }
}
