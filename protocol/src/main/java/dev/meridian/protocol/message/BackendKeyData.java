package dev.meridian.protocol.message;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.MessageWriter;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** BackendKeyData ('K'): Int32 process id, then the cancel key (4 bytes in 3.0, up to 256 in 3.2). */
public record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {
    public BackendKeyData {
        secretKey = secretKey.clone();
    }

    @Override
    public byte[] secretKey() {
        return secretKey.clone();
    }

    public static BackendKeyData decode(ByteBuf body) {
        int pid = body.readInt();
        // The protocol docs bound the key to 4..256 bytes and libpq refuses others; anything
        // else would also yield a CancelRequest that FrontendDecoder refuses.
        if (body.readableBytes() < 4 || body.readableBytes() > CancelRequest.MAX_KEY_LENGTH) {
            throw ProtocolException.violation("invalid cancel key length " + body.readableBytes()
                    + " in BackendKeyData");
        }
        byte[] key = new byte[body.readableBytes()];
        body.readBytes(key);
        return new BackendKeyData(pid, key);
    }

    public void encode(ByteBuf out) {
        MessageWriter.write(out, 'K', b -> b.writeInt(processId).writeBytes(secretKey));
    }

    public CancelRequest toCancelRequest() {
        return new CancelRequest(processId, secretKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendKeyData k && k.processId == processId && Arrays.equals(k.secretKey, secretKey);
    }

    @Override
    public int hashCode() {
        return 31 * processId + Arrays.hashCode(secretKey);
    }

    @Override
    public String toString() {
        return "BackendKeyData[processId=" + processId + ", secretKey=<" + secretKey.length + " bytes>]";
    }
}
