package dev.meridian.protocol.message;

import io.netty.buffer.ByteBuf;

/** SSLRequest: Int32(8) Int32(80877103). Answered with one byte, {@code S} or {@code N}. */
public enum SslRequest implements StartupPacket {
    INSTANCE;

    public static final byte ACCEPT = 'S';
    public static final byte REFUSE = 'N';

    public void encode(ByteBuf out) {
        out.writeInt(8).writeInt(SSL_REQUEST_CODE);
    }
}
