package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** ErrorResponse ('E'): severity, SQLSTATE, message and optional detail fields. */
public record ErrorResponse(Map<Character, String> fields) implements BackendMessage {
    public ErrorResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A FATAL error: the connection closes after it. */
    public static ErrorResponse fatal(String sqlState, String message) {
        return new ErrorResponse(NoticeFields.of("FATAL", sqlState, message));
    }

    /** An ERROR: the statement fails, the session lives on. */
    public static ErrorResponse error(String sqlState, String message) {
        return new ErrorResponse(NoticeFields.of("ERROR", sqlState, message));
    }

    public static ErrorResponse decode(ByteBuf body) {
        return new ErrorResponse(NoticeFields.decode(body));
    }

    public String severity() {
        return fields.getOrDefault('V', fields.get('S'));
    }

    public String sqlState() {
        return fields.get('C');
    }

    public String message() {
        return fields.get('M');
    }

    public void encode(ByteBuf out) {
        MessageWriter.write(out, 'E', b -> NoticeFields.encode(b, fields));
    }

    @Override
    public String toString() {
        return severity() + " " + sqlState() + " " + message();
    }
}
