package dev.meridian.protocol.message;

import dev.meridian.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** DataRow ('D'): Int16 column count, then per column Int32 length (-1 = NULL) and the bytes. */
public final class DataRow {
    private DataRow() {
    }

    /** The columns as text (the proxy only asks for text results); NULL is null. */
    public static List<String> decodeText(ByteBuf body) {
        try {
            int count = body.readUnsignedShort();
            List<String> columns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int len = body.readInt();
                columns.add(len < 0 ? null : body.readCharSequence(len, StandardCharsets.UTF_8).toString());
            }
            return Collections.unmodifiableList(columns);
        } catch (IndexOutOfBoundsException e) {
            throw ProtocolException.violation("malformed DataRow message");
        }
    }
}
