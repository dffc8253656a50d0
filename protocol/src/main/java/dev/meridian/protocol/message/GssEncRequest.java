package dev.meridian.protocol.message;

import io.netty.buffer.ByteBuf;

/** GSSENCRequest: Int32(8) Int32(80877104). Meridian always answers {@code N}. */
public enum GssEncRequest implements StartupPacket {
    INSTANCE;

    public void encode(ByteBuf out) {
        out.writeInt(8).writeInt(GSSENC_REQUEST_CODE);
    }
}
