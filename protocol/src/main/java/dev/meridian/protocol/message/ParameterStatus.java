package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;

/** ParameterStatus ('S'): String name, String value. */
public record ParameterStatus(String name, String value) implements BackendMessage {
    public static ParameterStatus decode(ByteBuf body) {
        return new ParameterStatus(CStrings.read(body), CStrings.read(body));
    }

    public void encode(ByteBuf out) {
        MessageWriter.write(out, 'S', b -> {
            CStrings.write(b, name);
            CStrings.write(b, value);
        });
    }
}
