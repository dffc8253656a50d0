package dev.meridian.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Reads NUL-terminated strings out of a message body without moving its indexes. */
final class Texts {
    private Texts() {
    }

    /**
     * The {@code index}-th C string of {@code body} (0 = the first), "" when the body ends first.
     * Decoded as ISO-8859-1: one char per byte, so the lexer sees ASCII keywords whatever the
     * client encoding, and no malformed input can throw.
     */
    static String cstring(ByteBuf body, int index) {
        int from = body.readerIndex();
        int end = body.writerIndex();
        for (int k = 0; k < index; k++) {
            int nul = body.indexOf(from, end, (byte) 0);
            if (nul < 0) {
                return "";
            }
            from = nul + 1;
        }
        int nul = body.indexOf(from, end, (byte) 0);
        return body.toString(from, (nul < 0 ? end : nul) - from, StandardCharsets.ISO_8859_1);
    }

    /** A Query message for text read by {@link #cstring}: the client's own bytes, unchanged. */
    static ByteBuf query(ByteBufAllocator alloc, String sql) {
        ByteBuf out = alloc.buffer(sql.length() + 6);
        out.writeByte('Q').writeInt(0);
        out.writeCharSequence(sql, StandardCharsets.ISO_8859_1);
        out.writeByte(0);
        out.setInt(1, out.writerIndex() - 1);
        return out;
    }
}
