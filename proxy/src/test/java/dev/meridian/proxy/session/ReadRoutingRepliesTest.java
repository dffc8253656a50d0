package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.ResultSets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LsnReply, ReplicaAttempt and LocalAnswer: the byte-level parts of read routing, one byte at a time too. */
class ReadRoutingRepliesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf answer(String value) {
        ByteBuf out = Unpooled.buffer();
        ResultSets.rowDescription(out, List.of(LsnReply.COLUMN));
        ResultSets.dataRow(out, List.of(value));
        ResultSets.commandComplete(out, "SELECT 1");
        ReadyForQuery.IDLE.encode(out);
        return out;
    }

    @Test
    void lsnReplyKeepsTheRowAndStopsAfterItsReadyForQuery() {
        LsnReply r = new LsnReply();
        r.expect();
        ByteBuf in = answer("0/16B3748").writeBytes(new byte[] {'Z', 0, 0, 0, 5, 'I'});
        assertThat(r.read(in)).isTrue();
        assertThat(r.value()).isEqualTo("0/16B3748");
        assertThat(in.readableBytes()).as("the client's bytes behind it stay").isEqualTo(6);
        in.release();
    }

    @Test
    void lsnReplyOneByteAtATime() {
        LsnReply r = new LsnReply();
        r.expect();
        ByteBuf all = answer("A/FF");
        boolean done = false;
        while (all.isReadable()) {
            ByteBuf one = all.readRetainedSlice(1);
            done = r.read(one);
            one.release();
        }
        all.release();
        assertThat(done).isTrue();
        assertThat(r.value()).isEqualTo("A/FF");
    }

    @Test
    void lsnReplyOfAnErrorHasNoValue() {
        LsnReply r = new LsnReply();
        r.expect();
        ByteBuf in = Unpooled.buffer();
        ErrorResponse.error("55000", "recovery is in progress").encode(in);
        ReadyForQuery.IDLE.encode(in);
        assertThat(r.read(in)).isTrue();
        assertThat(r.value()).isNull();
        in.release();
    }

    @Test
    void lsnReplyFedAnythingButItsOwnAnswerSaysSo() {
        LsnReply r = new LsnReply();
        r.expect();
        ByteBuf clients = Unpooled.buffer();
        clients.writeBytes(new byte[] {'2', 0, 0, 0, 4}); // BindComplete: the tail of a client's answer
        ResultSets.dataRow(clients, List.of("42"));
        ResultSets.commandComplete(clients, "SELECT 1");
        ReadyForQuery.IDLE.encode(clients);
        r.read(clients);
        assertThat(r.foreign()).isTrue();
        clients.release();

        r.expect();
        ByteBuf other = Unpooled.buffer();
        ResultSets.rowDescription(other, List.of("coalesce"));
        r.read(other);
        assertThat(r.foreign()).as("another query's rows").isTrue();
        other.release();

        r.expect();
        ByteBuf own = Unpooled.buffer();
        own.writeBytes(new byte[] {'N', 0, 0, 0, 5, 0}); // a notice first is fine
        own.writeBytes(answer("0/1"));
        assertThat(r.read(own)).isTrue();
        assertThat(r.foreign()).isFalse();
        assertThat(r.value()).isEqualTo("0/1");
        own.release();
    }

    private static ByteBuf refusal() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(new byte[] {'1', 0, 0, 0, 4, '2', 0, 0, 0, 4});
        ErrorResponse.error("25006", "cannot execute INSERT in a read-only transaction").encode(out);
        ReadyForQuery.IDLE.encode(out);
        return out;
    }

    @Test
    void aReplicaRefusalIsHeldUntilItsReadyForQueryThenReRun() {
        ReplicaAttempt a = new ReplicaAttempt(ALLOC);
        ByteBuf frame = Unpooled.copiedBuffer("Q\0\0\0\u000eSELECT f()\0", StandardCharsets.ISO_8859_1);
        a.sent(frame);
        frame.release();
        ByteBuf all = refusal();
        ReplicaAttempt.Outcome last = null;
        while (all.isReadable()) {
            last = a.offer(all.readRetainedSlice(1));
            if (all.isReadable()) {
                assertThat(last).isEqualTo(ReplicaAttempt.Outcome.HOLDING);
            }
        }
        all.release();
        assertThat(last).isEqualTo(ReplicaAttempt.Outcome.REFUSED);
        assertThat(a.status()).isEqualTo('I');
        List<ByteBuf> copies = a.takeSent();
        assertThat(copies).hasSize(1);
        assertThat(copies.get(0).toString(StandardCharsets.ISO_8859_1)).contains("SELECT f()");
        copies.forEach(ByteBuf::release);
        a.discard();
    }

    @Test
    void anAnswerWithRowsPassesWhole() {
        ReplicaAttempt a = new ReplicaAttempt(ALLOC);
        assertThat(a.offer(answer("x"))).isEqualTo(ReplicaAttempt.Outcome.PASS);
        ByteBuf out = a.release();
        assertThat(out.readableBytes()).isEqualTo(answer("x").readableBytes());
        out.release();
    }

    @Test
    void anotherErrorIsTheClients() {
        ReplicaAttempt a = new ReplicaAttempt(ALLOC);
        ByteBuf in = Unpooled.buffer();
        ErrorResponse.error("42P01", "relation does not exist").encode(in);
        ReadyForQuery.IDLE.encode(in);
        assertThat(a.offer(in)).isEqualTo(ReplicaAttempt.Outcome.PASS);
        a.release().release();
    }

    @Test
    void aLargeAnswerStopsBeingHeld() {
        ReplicaAttempt a = new ReplicaAttempt(ALLOC);
        ByteBuf rows = Unpooled.buffer();
        ResultSets.rowDescription(rows, List.of("x"));
        while (rows.readableBytes() <= ReplicaAttempt.MAX_HELD) {
            ResultSets.dataRow(rows, List.of("a".repeat(1000)));
        }
        assertThat(a.offer(rows)).isEqualTo(ReplicaAttempt.Outcome.PASS);
        a.release().release();
    }

    private static Frame frame(char type, byte... body) {
        ByteBuf b = Unpooled.buffer().writeByte(type).writeInt(4 + body.length).writeBytes(body);
        return new Frame(b);
    }

    @Test
    void localAnswerSpeaksForAnExtendedSet() {
        byte[] sql = "\0SET meridian.min_lsn = '0/1'\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        List<Frame> unit = List.of(frame('P', sql), frame('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0}),
                frame('D', new byte[] {'P', 0}), frame('E', new byte[] {0, 0, 0, 0, 0}), frame('S'));
        ByteBuf out = Unpooled.buffer();
        LocalAnswer.write(out, unit, null);
        StringBuilder types = new StringBuilder();
        while (out.isReadable()) {
            types.append((char) out.readByte());
            out.skipBytes(out.readInt() - 4);
        }
        assertThat(types.toString()).isEqualTo("12nCZ");
        out.release();
        unit.forEach(Frame::release);
    }

    @Test
    void localAnswerOfABadValueIsOneErrorThenReady() {
        List<Frame> unit = List.of(frame('P', "\0SET meridian.min_lsn = 'x'\0\0\0".getBytes(StandardCharsets.ISO_8859_1)),
                frame('B', new byte[8]), frame('E', new byte[5]), frame('S'));
        ByteBuf out = Unpooled.buffer();
        LocalAnswer.write(out, unit, "bad");
        StringBuilder types = new StringBuilder();
        while (out.isReadable()) {
            types.append((char) out.readByte());
            out.skipBytes(out.readInt() - 4);
        }
        assertThat(types.toString()).isEqualTo("12EZ");
        out.release();
        unit.forEach(Frame::release);
    }
}
