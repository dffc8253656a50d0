package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import io.netty.buffer.ByteBuf;

/** Reads the password-family messages ('p') a client sends during authentication. */
final class PasswordMessages {
    /** SASLInitialResponse: String mechanism, Int32 length of data (-1: none), data. */
    record SaslInitial(String mechanism, byte[] data) {
    }

    private PasswordMessages() {
    }

    static SaslInitial saslInitial(Frame frame) {
        ByteBuf body = passwordBody(frame);
        try {
            String mechanism = CStrings.read(body);
            int length = body.readInt();
            if (length < -1 || length != (length == -1 ? -1 : body.readableBytes())) {
                throw ProtocolException.violation("malformed SASLInitialResponse message");
            }
            byte[] data = new byte[Math.max(length, 0)];
            body.readBytes(data);
            return new SaslInitial(mechanism, data);
        } catch (IndexOutOfBoundsException e) {
            throw ProtocolException.violation("malformed SASLInitialResponse message");
        }
    }

    static byte[] saslResponse(Frame frame) {
        ByteBuf body = passwordBody(frame);
        byte[] data = new byte[body.readableBytes()];
        body.readBytes(data);
        return data;
    }

    static String password(Frame frame) {
        ByteBuf body = passwordBody(frame);
        String password = CStrings.read(body);
        if (body.isReadable()) {
            throw ProtocolException.violation("invalid password packet size");
        }
        return password;
    }

    private static ByteBuf passwordBody(Frame frame) {
        if (frame.type() != FrontendMessages.PASSWORD) {
            throw ProtocolException.violation("expected password response, got message type " + (char) frame.type());
        }
        return frame.body();
    }
}
