package dev.meridian.protocol.message;

import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;

/**
 * Encoders for the few frontend messages the proxy itself sends to a backend (as a client):
 * the password family ('p') during login, and Query/Terminate.
 */
public final class FrontendMessages {
    public static final byte PASSWORD = 'p';
    public static final byte QUERY = 'Q';
    public static final byte SYNC = 'S';
    public static final byte TERMINATE = 'X';

    private FrontendMessages() {
    }

    /** PasswordMessage: String password (cleartext or md5 response). */
    public static void password(ByteBuf out, String password) {
        MessageWriter.write(out, 'p', b -> CStrings.write(b, password));
    }

    /** SASLInitialResponse: String mechanism, Int32 data length (-1 for none), data. */
    public static void saslInitialResponse(ByteBuf out, String mechanism, byte[] data) {
        MessageWriter.write(out, 'p', b -> {
            CStrings.write(b, mechanism);
            b.writeInt(data.length).writeBytes(data);
        });
    }

    /** SASLResponse: the data, nothing else. */
    public static void saslResponse(ByteBuf out, byte[] data) {
        MessageWriter.write(out, 'p', b -> b.writeBytes(data));
    }

    public static void query(ByteBuf out, String sql) {
        MessageWriter.write(out, 'Q', b -> CStrings.write(b, sql));
    }

    /** Parse: String statement name, String query, Int16 0 (parameter types inferred). */
    public static void parse(ByteBuf out, String statement, String sql) {
        MessageWriter.write(out, 'P', b -> {
            CStrings.write(b, statement);
            CStrings.write(b, sql);
            b.writeShort(0);
        });
    }

    /** Bind: portal, statement, all parameters in text format (null = SQL NULL), results in text. */
    public static void bind(ByteBuf out, String portal, String statement, String... textParams) {
        MessageWriter.write(out, 'B', b -> {
            CStrings.write(b, portal);
            CStrings.write(b, statement);
            b.writeShort(0);
            b.writeShort(textParams.length);
            for (String p : textParams) {
                if (p == null) {
                    b.writeInt(-1);
                } else {
                    byte[] bytes = p.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    b.writeInt(bytes.length).writeBytes(bytes);
                }
            }
            b.writeShort(0);
        });
    }

    /** Execute: portal, Int32 row limit (0 = all). */
    public static void execute(ByteBuf out, String portal, int maxRows) {
        MessageWriter.write(out, 'E', b -> {
            CStrings.write(b, portal);
            b.writeInt(maxRows);
        });
    }

    public static void sync(ByteBuf out) {
        out.writeByte('S').writeInt(4);
    }

    public static void terminate(ByteBuf out) {
        out.writeByte('X').writeInt(4);
    }
}
