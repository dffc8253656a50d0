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

    public static void terminate(ByteBuf out) {
        out.writeByte('X').writeInt(4);
    }
}
