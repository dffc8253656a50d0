package dev.meridian.bench.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Typical relayed traffic, as one receive buffer each: what pgbench's select-only script and a
 * driver's extended-protocol query send, and what PostgreSQL answers. Each constant names how
 * many protocol messages its buffer holds, so benchmarks can report per message.
 */
public enum Traffic {
    /** Query "SELECT abalance FROM pgbench_accounts WHERE aid = 4242". */
    CLIENT_SIMPLE(1, b -> query(b, "SELECT abalance FROM pgbench_accounts WHERE aid = 4242")),
    /** Parse, Bind (one text parameter), Describe portal, Execute, Sync: one pgjdbc statement. */
    CLIENT_EXTENDED(5, b -> {
        parse(b, "SELECT abalance FROM pgbench_accounts WHERE aid = $1");
        bind(b, "4242");
        message(b, 'D', m -> m.writeByte('P').writeByte(0));
        message(b, 'E', m -> m.writeByte(0).writeInt(0));
        message(b, 'S', m -> { });
    }),
    /** RowDescription, DataRow, CommandComplete, ReadyForQuery: the answer to a simple one-row query. */
    BACKEND_SIMPLE(4, b -> {
        rowDescription(b, "abalance");
        dataRow(b, "-2711");
        commandComplete(b, "SELECT 1");
        readyForQuery(b);
    }),
    /** ParseComplete, BindComplete, RowDescription, DataRow, CommandComplete, ReadyForQuery. */
    BACKEND_EXTENDED(6, b -> {
        message(b, '1', m -> { });
        message(b, '2', m -> { });
        rowDescription(b, "abalance");
        dataRow(b, "-2711");
        commandComplete(b, "SELECT 1");
        readyForQuery(b);
    }),
    /** RowDescription, 100 pgbench_accounts rows (aid, bid, abalance, 84-character filler), CommandComplete, ReadyForQuery. */
    BACKEND_ROWS(103, b -> {
        rowDescription(b, "aid", "bid", "abalance", "filler");
        String filler = " ".repeat(84);
        for (int i = 1; i <= 100; i++) {
            dataRow(b, Integer.toString(4200 + i), "1", "0", filler);
        }
        commandComplete(b, "SELECT 100");
        readyForQuery(b);
    });

    private final int messages;
    private final Consumer<ByteBuf> writer;

    Traffic(int messages, Consumer<ByteBuf> writer) {
        this.messages = messages;
        this.writer = writer;
    }

    /** How many protocol messages the buffer holds. */
    public int messages() {
        return messages;
    }

    /** A new direct buffer from {@code alloc} holding exactly these messages. */
    public ByteBuf buffer(ByteBufAllocator alloc) {
        ByteBuf b = alloc.directBuffer(256);
        writer.accept(b);
        return b;
    }

    private static void message(ByteBuf b, char type, Consumer<ByteBuf> body) {
        b.writeByte(type);
        int lengthAt = b.writerIndex();
        b.writeInt(0);
        body.accept(b);
        b.setInt(lengthAt, b.writerIndex() - lengthAt);
    }

    private static void cstring(ByteBuf b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    private static void query(ByteBuf b, String sql) {
        message(b, 'Q', m -> cstring(m, sql));
    }

    private static void parse(ByteBuf b, String sql) {
        message(b, 'P', m -> {
            cstring(m, "");
            cstring(m, sql);
            m.writeShort(0);
        });
    }

    private static void bind(ByteBuf b, String param) {
        byte[] value = param.getBytes(StandardCharsets.UTF_8);
        message(b, 'B', m -> {
            cstring(m, "");
            cstring(m, "");
            m.writeShort(0);
            m.writeShort(1).writeInt(value.length).writeBytes(value);
            m.writeShort(0);
        });
    }

    /** Text-format int4 columns (the filler column, as in pgbench, is bpchar). */
    private static void rowDescription(ByteBuf b, String... columns) {
        message(b, 'T', m -> {
            m.writeShort(columns.length);
            for (int i = 0; i < columns.length; i++) {
                cstring(m, columns[i]);
                m.writeInt(16396).writeShort(i + 1);
                boolean filler = columns[i].equals("filler");
                m.writeInt(filler ? 1042 : 23).writeShort(filler ? -1 : 4).writeInt(filler ? 88 : -1).writeShort(0);
            }
        });
    }

    private static void dataRow(ByteBuf b, String... values) {
        message(b, 'D', m -> {
            m.writeShort(values.length);
            for (String v : values) {
                byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                m.writeInt(bytes.length).writeBytes(bytes);
            }
        });
    }

    private static void commandComplete(ByteBuf b, String tag) {
        message(b, 'C', m -> cstring(m, tag));
    }

    private static void readyForQuery(ByteBuf b) {
        message(b, 'Z', m -> m.writeByte('I'));
    }
}
