package dev.meridian.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Writes one message: type byte (if any), a length placeholder, the body, then backfills the
 * length (which counts itself but not the type byte).
 */
public final class MessageWriter {
    private MessageWriter() {
    }

    /** A regular message with a type byte. */
    public static void write(ByteBuf out, char type, Consumer<ByteBuf> body) {
        out.writeByte(type);
        writeUntyped(out, body);
    }

    /** A startup-phase message: no type byte, only the length. */
    public static void writeUntyped(ByteBuf out, Consumer<ByteBuf> body) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        body.accept(out);
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex);
    }

    public static ByteBuf allocate(ByteBufAllocator alloc, char type, Consumer<ByteBuf> body) {
        ByteBuf out = alloc.buffer();
        write(out, type, body);
        return out;
    }
}
