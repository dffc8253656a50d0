package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.ResultSets;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * PostgreSQL's answer to a unit holding one utility statement with no result (a SET) that
 * Meridian runs itself: per message ParseComplete, BindComplete, NoData (a Describe; a statement
 * Describe first says it has no parameters), CommandComplete SET, ReadyForQuery. With
 * {@code error}, a 22023 ErrorResponse replaces the rest until the Sync, as the server would.
 */
final class LocalAnswer {
    private LocalAnswer() {
    }

    static void write(ByteBuf out, List<Frame> unit, String error) {
        boolean failed = false;
        for (Frame f : unit) {
            byte type = f.type();
            if (type == 'S' || type == 'Q') {
                if (type == 'Q') {
                    if (error != null) {
                        ErrorResponse.error(SqlState.INVALID_PARAMETER_VALUE, error).encode(out);
                    } else {
                        ResultSets.commandComplete(out, "SET");
                    }
                }
                ReadyForQuery.IDLE.encode(out);
                failed = false;
                continue;
            }
            if (failed) {
                continue;
            }
            switch (type) {
                case 'P' -> empty(out, '1');
                case 'B' -> empty(out, '2');
                case 'D' -> {
                    if (f.body().getByte(f.body().readerIndex()) == 'S') {
                        out.writeByte('t').writeInt(6).writeShort(0);
                    }
                    empty(out, 'n');
                }
                case 'E' -> {
                    if (error != null) {
                        ErrorResponse.error(SqlState.INVALID_PARAMETER_VALUE, error).encode(out);
                        failed = true;
                    } else {
                        ResultSets.commandComplete(out, "SET");
                    }
                }
                default -> { }
            }
        }
    }

    private static void empty(ByteBuf out, char type) {
        out.writeByte(type).writeInt(4);
    }
}
