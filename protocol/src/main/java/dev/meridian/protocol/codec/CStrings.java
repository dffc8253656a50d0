package dev.meridian.protocol.codec;

import dev.meridian.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** NUL-terminated UTF-8 strings, the protocol's "String" type. */
public final class CStrings {
    private CStrings() {
    }

    /**
     * Reads one string and the NUL after it.
     *
     * @throws ProtocolException 08P01 when the buffer holds no terminator
     */
    public static String read(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw ProtocolException.violation("invalid string in message");
        }
        String s = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return s;
    }

    public static void write(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }
}
