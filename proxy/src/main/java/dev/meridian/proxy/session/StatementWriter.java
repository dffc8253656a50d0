package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.pooling.Step;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Puts the {@link Step}s decided for one client message on the backend connection: the client's
 * bytes as they are, or Meridian's own Parse / Close / Describe, or the client's Bind with the
 * statement name replaced (a new head, then the rest of the client's bytes as a retained slice:
 * parameters are never copied). Takes the frame over.
 */
final class StatementWriter {
    private StatementWriter() {
    }

    static void write(Channel backend, Frame f, List<Step> steps) {
        boolean forwarded = false;
        for (Step s : steps) {
            switch (s.type()) {
                case FORWARD -> {
                    backend.write(f.content(), backend.voidPromise());
                    forwarded = true;
                }
                case PARSE -> backend.write(parse(backend, s.name(), s.text().bytes()), backend.voidPromise());
                case CLOSE -> backend.write(named(backend, 'C', 'S', s.name()), backend.voidPromise());
                case PROVOKE -> backend.write(named(backend, 'D', 'S', s.name()), backend.voidPromise());
                case FAIL_QUERY -> backend.write(Texts.query(backend.alloc(), "DEALLOCATE \"" + s.name() + "\""),
                        backend.voidPromise());
                case RENAME -> {
                    if (f.type() == 'B') {
                        rebind(backend, f, s.name());
                    } else {
                        backend.write(named(backend, 'D', 'S', s.name()), backend.voidPromise());
                    }
                }
            }
        }
        if (!forwarded) {
            f.release();
        }
    }

    private static ByteBuf parse(Channel ch, String name, byte[] tail) {
        ByteBuf out = ch.alloc().buffer(6 + name.length() + tail.length);
        out.writeByte('P').writeInt(4 + name.length() + 1 + tail.length);
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        out.writeByte(0).writeBytes(tail);
        return out;
    }

    /** Close or Describe: {@code kind} ('S' or 'P') and a name. */
    private static ByteBuf named(Channel ch, char type, char kind, String name) {
        ByteBuf out = ch.alloc().buffer(7 + name.length());
        out.writeByte(type).writeInt(4 + 1 + name.length() + 1).writeByte(kind);
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        out.writeByte(0);
        return out;
    }

    /** Bind: portal name, statement name, then the rest (formats, parameters) kept as the client's bytes. */
    private static void rebind(Channel ch, Frame f, String statement) {
        ByteBuf c = f.content();
        int body = c.readerIndex() + 5;
        int portalEnd = c.indexOf(body, c.writerIndex(), (byte) 0);
        int statementEnd = c.indexOf(portalEnd + 1, c.writerIndex(), (byte) 0);
        int rest = statementEnd + 1;
        int headLength = 5 + (portalEnd + 1 - body) + statement.length() + 1;
        ByteBuf head = ch.alloc().buffer(headLength);
        head.writeByte('B').writeInt(headLength - 1 + (c.writerIndex() - rest));
        head.writeBytes(c, body, portalEnd + 1 - body);
        head.writeCharSequence(statement, StandardCharsets.ISO_8859_1);
        head.writeByte(0);
        ch.write(head, ch.voidPromise());
        if (c.writerIndex() > rest) {
            ch.write(c.retainedSlice(rest, c.writerIndex() - rest), ch.voidPromise());
        }
    }
}
