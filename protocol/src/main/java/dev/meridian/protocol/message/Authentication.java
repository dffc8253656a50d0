package dev.meridian.protocol.message;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Authentication* ('R'): Int32 code, then a code-specific body. */
public sealed interface Authentication extends BackendMessage {
    int OK = 0;
    int CLEARTEXT_PASSWORD = 3;
    int MD5_PASSWORD = 5;
    int SASL = 10;
    int SASL_CONTINUE = 11;
    int SASL_FINAL = 12;

    int code();

    /** Writes the body after the code. */
    void encodeBody(ByteBuf out);

    default void encode(ByteBuf out) {
        MessageWriter.write(out, 'R', b -> {
            b.writeInt(code());
            encodeBody(b);
        });
    }

    static Authentication decode(ByteBuf body) {
        int code = body.readInt();
        return switch (code) {
            case OK -> Ok.INSTANCE;
            case CLEARTEXT_PASSWORD -> CleartextPassword.INSTANCE;
            case MD5_PASSWORD -> new Md5Password(readBytes(body, 4));
            case SASL -> Sasl.decode(body);
            case SASL_CONTINUE -> new SaslContinue(readBytes(body, body.readableBytes()));
            case SASL_FINAL -> new SaslFinal(readBytes(body, body.readableBytes()));
            default -> new Unsupported(code);
        };
    }

    private static byte[] readBytes(ByteBuf body, int n) {
        if (body.readableBytes() < n) {
            throw ProtocolException.violation("invalid authentication request");
        }
        byte[] b = new byte[n];
        body.readBytes(b);
        return b;
    }

    enum Ok implements Authentication {
        INSTANCE;

        public int code() {
            return OK;
        }

        public void encodeBody(ByteBuf out) {
        }
    }

    enum CleartextPassword implements Authentication {
        INSTANCE;

        public int code() {
            return CLEARTEXT_PASSWORD;
        }

        public void encodeBody(ByteBuf out) {
        }
    }

    record Md5Password(byte[] salt) implements Authentication {
        public int code() {
            return MD5_PASSWORD;
        }

        public void encodeBody(ByteBuf out) {
            out.writeBytes(salt);
        }

        // A record compares arrays by identity: compare contents, as BackendKeyData does.
        @Override
        public boolean equals(Object o) {
            return o instanceof Md5Password other && Arrays.equals(other.salt, salt);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(salt);
        }
    }

    /** The mechanisms the server offers, in its order of preference. */
    record Sasl(List<String> mechanisms) implements Authentication {
        public Sasl {
            mechanisms = List.copyOf(mechanisms);
        }

        static Sasl decode(ByteBuf body) {
            List<String> mechanisms = new ArrayList<>();
            while (body.isReadable() && body.getByte(body.readerIndex()) != 0) {
                mechanisms.add(CStrings.read(body));
            }
            return new Sasl(mechanisms);
        }

        public int code() {
            return SASL;
        }

        public void encodeBody(ByteBuf out) {
            mechanisms.forEach(m -> CStrings.write(out, m));
            out.writeByte(0);
        }
    }

    record SaslContinue(byte[] data) implements Authentication {
        public int code() {
            return SASL_CONTINUE;
        }

        public void encodeBody(ByteBuf out) {
            out.writeBytes(data);
        }

        // A record compares arrays by identity: compare contents, as BackendKeyData does.
        @Override
        public boolean equals(Object o) {
            return o instanceof SaslContinue other && Arrays.equals(other.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    record SaslFinal(byte[] data) implements Authentication {
        public int code() {
            return SASL_FINAL;
        }

        public void encodeBody(ByteBuf out) {
            out.writeBytes(data);
        }

        // A record compares arrays by identity: compare contents, as BackendKeyData does.
        @Override
        public boolean equals(Object o) {
            return o instanceof SaslFinal other && Arrays.equals(other.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    /** GSS, SSPI, Kerberos and anything newer: Meridian cannot answer these. */
    record Unsupported(int code) implements Authentication {
        public void encodeBody(ByteBuf out) {
        }
    }
}
