package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encoders for a server's answer to a simple query, all columns as text: RowDescription ('T'),
 * DataRow ('D'), CommandComplete ('C'), EmptyQueryResponse ('I').
 */
public final class ResultSets {
    /** The type OID of {@code text}. */
    private static final int TEXT_OID = 25;

    private ResultSets() {
    }

    /** RowDescription: Int16 count; per column: name, table OID, column number, type OID, size, modifier, format. */
    public static void rowDescription(ByteBuf out, List<String> columns) {
        MessageWriter.write(out, 'T', b -> {
            b.writeShort(columns.size());
            for (String name : columns) {
                CStrings.write(b, name);
                b.writeInt(0).writeShort(0).writeInt(TEXT_OID).writeShort(-1).writeInt(-1).writeShort(0);
            }
        });
    }

    /** DataRow with text values; null is SQL NULL. */
    public static void dataRow(ByteBuf out, List<String> values) {
        MessageWriter.write(out, 'D', b -> {
            b.writeShort(values.size());
            for (String v : values) {
                if (v == null) {
                    b.writeInt(-1);
                } else {
                    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                    b.writeInt(bytes.length).writeBytes(bytes);
                }
            }
        });
    }

    public static void commandComplete(ByteBuf out, String tag) {
        MessageWriter.write(out, 'C', b -> CStrings.write(b, tag));
    }

    public static void emptyQuery(ByteBuf out) {
        out.writeByte('I').writeInt(4);
    }
}
