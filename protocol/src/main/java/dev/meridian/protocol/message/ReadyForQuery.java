package dev.meridian.protocol.message;

import dev.meridian.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/** ReadyForQuery ('Z'): Byte1 transaction status, I (idle), T (in a transaction) or E (failed one). */
public enum ReadyForQuery implements BackendMessage {
    IDLE('I'), IN_TRANSACTION('T'), FAILED_TRANSACTION('E');

    private final byte status;

    ReadyForQuery(char status) {
        this.status = (byte) status;
    }

    public byte status() {
        return status;
    }

    public static ReadyForQuery of(byte status) {
        return switch (status) {
            case 'I' -> IDLE;
            case 'T' -> IN_TRANSACTION;
            case 'E' -> FAILED_TRANSACTION;
            default -> throw ProtocolException.violation("invalid transaction status in ReadyForQuery");
        };
    }

    public static ReadyForQuery decode(ByteBuf body) {
        if (body.readableBytes() != 1) {
            throw ProtocolException.violation("invalid ReadyForQuery length");
        }
        return of(body.readByte());
    }

    public void encode(ByteBuf out) {
        out.writeByte('Z').writeInt(5).writeByte(status);
    }
}
