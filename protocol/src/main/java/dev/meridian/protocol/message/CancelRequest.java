package dev.meridian.protocol.message;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * CancelRequest: Int32 length, Int32(80877102), Int32 process id, then the secret key: 4 bytes
 * in protocol 3.0, up to 256 bytes in 3.2.
 */
public record CancelRequest(int processId, byte[] secretKey) implements StartupPacket {
    public static final int MAX_KEY_LENGTH = 256;

    public CancelRequest {
        secretKey = secretKey.clone();
    }

    @Override
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** Reads the part after the request code. */
    public static CancelRequest decode(ByteBuf body) {
        int pid = body.readInt();
        byte[] key = new byte[body.readableBytes()];
        body.readBytes(key);
        return new CancelRequest(pid, key);
    }

    public void encode(ByteBuf out) {
        out.writeInt(12 + secretKey.length).writeInt(CANCEL_REQUEST_CODE).writeInt(processId).writeBytes(secretKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CancelRequest c && c.processId == processId && Arrays.equals(c.secretKey, secretKey);
    }

    @Override
    public int hashCode() {
        return 31 * processId + Arrays.hashCode(secretKey);
    }

    /** The key is a secret: never printed. */
    @Override
    public String toString() {
        return "CancelRequest[processId=" + processId + ", secretKey=<" + secretKey.length + " bytes>]";
    }

}
