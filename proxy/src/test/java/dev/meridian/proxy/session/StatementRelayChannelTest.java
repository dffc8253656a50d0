package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.codec.FrontendDecoder;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.pooling.PreparedStatements;
import dev.meridian.proxy.pooling.Reply;
import dev.meridian.proxy.pooling.ReplyPlan;
import dev.meridian.proxy.pooling.ServerStatements;
import dev.meridian.proxy.pooling.StatementText;
import dev.meridian.proxy.pooling.Synth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Netty side of shared prepared statements on EmbeddedChannels: client messages arriving one
 * byte at a time through the frontend decoder are rewritten onto the backend channel; backend
 * answers cut at every possible boundary come out to the client with swallowed messages removed
 * and synthesised ones inserted in order. Every buffer is released (paranoid leak detection).
 */
class StatementRelayChannelTest {
    private final ReplyPlan plan = new ReplyPlan();
    private final PreparedStatements statements = new PreparedStatements(plan, o -> { });

    // ---- message builders -------------------------------------------------------------------

    private static byte[] msg(char type, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(type).writeInt(body.length + 4).writeBytes(body);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static byte[] cstr(String s) {
        return cat(s.getBytes(StandardCharsets.ISO_8859_1), new byte[] {0});
    }

    /** Parse with one int4 parameter. */
    private static byte[] parse(String name, String sql) {
        return msg('P', cat(cstr(name), cstr(sql), new byte[] {0, 1, 0, 0, 0, 23}));
    }

    /** Bind with one text parameter "42" and no result formats. */
    private static byte[] bind(String statement) {
        return msg('B', cat(cstr(""), cstr(statement), new byte[] {0, 0, 0, 1, 0, 0, 0, 2, '4', '2', 0, 0}));
    }

    private static final byte[] EXECUTE = msg('E', cat(cstr(""), new byte[4]));
    private static final byte[] SYNC = msg('S', new byte[0]);

    private static byte[] startup() {
        byte[] params = cat(cstr("user"), cstr("u"), new byte[] {0});
        ByteBuf b = Unpooled.buffer();
        b.writeInt(8 + params.length).writeInt(196608).writeBytes(params);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    // ---- client side ------------------------------------------------------------------------

    /** Feeds {@code bytes} one at a time to a frontend decoder; each Frame goes to {@code backend} as decided. */
    private void clientSends(EmbeddedChannel backend, ServerStatements server, byte[] bytes) {
        EmbeddedChannel client = new EmbeddedChannel(new FrontendDecoder(1 << 20), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object m) {
                if (m instanceof Frame f) {
                    StatementWriter.write(backend, f, TxnRequests.steps(statements, true, f.type(), f.body(), server, null));
                } else {
                    io.netty.util.ReferenceCountUtil.release(m);
                }
            }
        });
        for (byte b : cat(startup(), bytes)) {
            client.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(client.finish()).isFalse();
    }

    private static byte[] drained(EmbeddedChannel ch) {
        ch.flush();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            o.writeBytes(a);
        }
        return o.toByteArray();
    }

    /** The backend's view: type letter and, for Parse/Bind/Close/Describe, the statement name. */
    private static List<String> messages(byte[] wire) {
        List<String> out = new ArrayList<>();
        ByteBuf b = Unpooled.wrappedBuffer(wire);
        while (b.isReadable()) {
            char type = (char) b.readByte();
            int len = b.readInt();
            ByteBuf body = b.readSlice(len - 4);
            String name = switch (type) {
                case 'P' -> Texts.cstring(body, 0);
                case 'B' -> Texts.cstring(body, 1) + "/" + body.getByte(body.writerIndex() - 3); // the last parameter byte
                case 'C', 'D' -> (char) body.getByte(body.readerIndex()) + Texts.cstring(body.slice(body.readerIndex() + 1,
                        body.readableBytes() - 1), 0);
                default -> "";
            };
            out.add(type + (name.isEmpty() ? "" : ":" + name));
        }
        return out;
    }

    @Test
    void aNamedBatchSentOneByteAtATimeIsRenamedAndTheParametersKept() {
        ServerStatements conn1 = new ServerStatements(10);
        EmbeddedChannel backend = new EmbeddedChannel();
        clientSends(backend, conn1, cat(parse("S_1", "SELECT $1::int"), bind("S_1"), EXECUTE, SYNC));
        List<String> sent = messages(drained(backend));
        String server = conn1.lookup(new StatementText(cat(cstr("SELECT $1::int"), new byte[] {0, 1, 0, 0, 0, 23})));
        assertThat(server).startsWith("mer");
        assertThat(sent).containsExactly("P:" + server, "B:" + server + "/50", "E", "S"); // '2' of "42"
        assertThat(backend.finish()).isFalse();
    }

    @Test
    void aBindOnAnotherConnectionGetsTheParseInjectedInFront() {
        ServerStatements conn1 = new ServerStatements(10);
        ServerStatements conn2 = new ServerStatements(10);
        EmbeddedChannel backend = new EmbeddedChannel();
        clientSends(backend, conn1, parse("S_1", "SELECT $1::int"));
        drained(backend);
        clientSends(backend, conn2, cat(bind("S_1"), EXECUTE, SYNC));
        List<String> sent = messages(drained(backend));
        String server = sent.get(0).substring(2);
        assertThat(sent).containsExactly("P:" + server, "B:" + server + "/50", "E", "S");
        assertThat(backend.finish()).isFalse();
    }

    @Test
    void aDuplicateNameProvokesAnErrorAndUnknownNamesGoThroughAsTheyAre() {
        ServerStatements conn1 = new ServerStatements(10);
        EmbeddedChannel backend = new EmbeddedChannel();
        clientSends(backend, conn1, cat(parse("a", "SELECT 1"), parse("a", "SELECT 2"), bind("nope"),
                msg('C', cat(new byte[] {'S'}, cstr("nope"))), SYNC));
        List<String> sent = messages(drained(backend));
        assertThat(sent.get(1)).isEqualTo("D:S" + PreparedStatements.MISSING);
        assertThat(sent.subList(2, 5)).containsExactly("B:nope/50", "C:Snope", "S");
        assertThat(backend.finish()).isFalse();
    }

    // ---- backend side -----------------------------------------------------------------------

    private static final byte[] PARSE_COMPLETE = msg('1', new byte[0]);
    private static final byte[] BIND_COMPLETE = msg('2', new byte[0]);
    private static final byte[] ROW = msg('D', new byte[] {0, 1, 0, 0, 0, 2, '4', '2'});
    private static final byte[] COMPLETE = msg('C', cstr("SELECT 1"));
    private static final byte[] NOTICE = msg('N', cat(cstr("SNOTICE"), cstr("Mhello"), new byte[] {0}));
    private static final byte[] READY = msg('Z', new byte[] {'I'});
    private static final byte[] ERROR = msg('E', cat(cstr("SERROR"), cstr("C26000"), cstr("Mgone"), new byte[] {0}));

    /** Plan: injected Parse (swallowed), Bind, Execute, a client Parse answered here, Sync. */
    private void plannedBatch() {
        plan.expect(new Reply(Reply.Kind.PARSE, Reply.Action.DROP, null, null));
        plan.expect(Reply.forward(Reply.Kind.BIND));
        plan.expect(Reply.forward(Reply.Kind.EXECUTE));
        plan.expect(new Reply(Reply.Kind.PARSE, Reply.Action.SYNTH, Synth.PARSE_COMPLETE, null));
        plan.expect(Reply.forward(Reply.Kind.SYNC));
    }

    /** The backend's bytes cut into pieces of {@code size}: what the client got, and the statuses seen. */
    private byte[] replies(byte[] wire, int size, List<String> seen) {
        EmbeddedChannel client = new EmbeddedChannel();
        BackendReplies replies = new BackendReplies(plan, client, (t, first) -> seen.add((char) t + ""), 1 << 20);
        for (int i = 0; i < wire.length; i += size) {
            ByteBuf piece = client.alloc().buffer();
            piece.writeBytes(wire, i, Math.min(size, wire.length - i));
            replies.read(piece);
            assertThat(replies.atBoundary()).isEqualTo(boundaryAt(wire, i + Math.min(size, wire.length - i)));
        }
        byte[] out = drained(client);
        assertThat(client.finish()).isFalse();
        return out;
    }

    private static boolean boundaryAt(byte[] wire, int at) {
        int i = 0;
        while (i < at) {
            i += 1 + ByteBuf.class.cast(Unpooled.wrappedBuffer(wire)).getInt(i + 1);
        }
        return i == at;
    }

    @Test
    void answersCutAtEveryBoundaryComeOutSwallowedAndSynthesisedInOrder() {
        byte[] wire = cat(PARSE_COMPLETE, BIND_COMPLETE, NOTICE, ROW, COMPLETE, READY);
        byte[] expected = cat(BIND_COMPLETE, NOTICE, ROW, COMPLETE, PARSE_COMPLETE, READY);
        for (int size = 1; size <= wire.length; size++) {
            plannedBatch();
            List<String> seen = new ArrayList<>();
            assertThat(replies(wire, size, seen)).as("pieces of %d bytes", size).isEqualTo(expected);
            assertThat(seen).containsExactly("1", "2", "N", "D", "C", "Z");
            assertThat(plan.idle()).isTrue();
        }
    }

    @Test
    void anErrorMidBatchDropsTheSynthesisedAnswersOfTheSkippedMessages() {
        byte[] wire = cat(ERROR, READY); // the injected Parse failed: the backend skipped to Sync
        for (int size = 1; size <= wire.length; size++) {
            plannedBatch();
            assertThat(replies(wire, size, new ArrayList<>())).as("pieces of %d bytes", size).isEqualTo(wire);
            assertThat(plan.idle()).isTrue();
        }
    }

    @Test
    void aProvokedErrorIsReplacedByMeridiansOwn() {
        byte[] wire = cat(PARSE_COMPLETE, ERROR, READY);
        for (int size = 1; size <= wire.length; size++) {
            plan.expect(Reply.forward(Reply.Kind.PARSE));
            plan.expect(new Reply(Reply.Kind.PARSE, Reply.Action.REPLACE_ERROR,
                    Synth.error("42P05", "prepared statement \"a\" already exists"), null));
            plan.expect(Reply.forward(Reply.Kind.SYNC));
            byte[] out = replies(wire, size, new ArrayList<>());
            String text = new String(out, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("C42P05").contains("prepared statement \"a\" already exists").doesNotContain("26000");
            assertThat(out[0]).isEqualTo((byte) '1');
            assertThat(out[out.length - 6]).isEqualTo((byte) 'Z');
        }
    }

    @Test
    void withNothingToRewriteABufferGoesOutWhole() {
        plan.expect(Reply.forward(Reply.Kind.QUERY));
        EmbeddedChannel client = new EmbeddedChannel();
        BackendReplies replies = new BackendReplies(plan, client, (t, first) -> { }, 1 << 20);
        ByteBuf in = Unpooled.wrappedBuffer(cat(ROW, COMPLETE, READY));
        replies.read(in);
        client.flush();
        ByteBuf out = client.readOutbound();
        assertThat(out).isSameAs(in);
        out.release();
        assertThat(client.finish()).isFalse();
    }

    @Test
    void aMutedAnswerMovesThePlanOnAndReachesNoOne() {
        plan.expect(Reply.forward(Reply.Kind.QUERY));
        EmbeddedChannel client = new EmbeddedChannel();
        List<String> seen = new ArrayList<>();
        BackendReplies replies = new BackendReplies(plan, client, (t, first) -> seen.add((char) t + ""), 1 << 20);
        replies.readMuted(Unpooled.wrappedBuffer(cat(ROW, COMPLETE, READY)));
        client.flush();
        assertThat(seen).containsExactly("D", "C", "Z");
        assertThat(client.finish()).as("nothing written").isFalse();
    }

    @Test
    void aReadRoutingProbesRowDescriptionNeverReachesTheClient() {
        plan.expect(Reply.forward(Reply.Kind.QUERY));
        EmbeddedChannel client = new EmbeddedChannel();
        BackendReplies replies = new BackendReplies(plan, client, (t, first) -> { }, 1 << 20);
        ByteBuf probe = Unpooled.buffer();
        dev.meridian.protocol.message.ResultSets.rowDescription(probe, List.of(LsnReply.COLUMN));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> replies.read(probe))
                .isInstanceOf(dev.meridian.protocol.ProtocolException.class).hasMessageContaining("probe");
        assertThat(probe.refCnt()).isZero();
        assertThat(client.finish()).isFalse();
    }
}
