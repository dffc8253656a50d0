package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.codec.BackendDecoder;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.proxy.config.BackendRole;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recovery query on an embedded channel, with the real backend decoder in front. */
class RecoveryQueryTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final Promise<ProbeResult> promise = ch.eventLoop().newPromise();

    @AfterEach
    void noBytesLeftBehind() {
        ch.finishAndReleaseAll();
    }

    private void start() {
        ch.pipeline().addLast(new BackendDecoder(1 << 20), new RecoveryQuery(promise));
    }

    private static ByteBuf message(char type, Consumer<ByteBuf> body) {
        ByteBuf b = Unpooled.directBuffer();
        ByteBuf content = Unpooled.buffer();
        body.accept(content);
        b.writeByte(type).writeInt(content.readableBytes() + 4).writeBytes(content);
        content.release();
        return b;
    }

    private static ByteBuf answer(String value) {
        ByteBuf all = Unpooled.directBuffer();
        ByteBuf[] parts = {
            message('T', b -> b.writeShort(1).writeBytes("pg_is_in_recovery\0".getBytes(StandardCharsets.US_ASCII))
                    .writeInt(0).writeShort(0).writeInt(16).writeShort(1).writeInt(-1).writeShort(0)),
            message('D', b -> b.writeShort(1).writeInt(value.length()).writeBytes(value.getBytes(StandardCharsets.US_ASCII))),
            message('C', b -> b.writeBytes("SELECT 1\0".getBytes(StandardCharsets.US_ASCII))),
            message('Z', b -> b.writeByte('I')),
        };
        for (ByteBuf p : parts) {
            all.writeBytes(p);
            p.release();
        }
        return all;
    }

    private String nextOutbound() {
        ByteBuf out = ch.readOutbound();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }

    @Test
    void sendsTheQueryAsSoonAsItIsAdded() {
        start();
        String sent = nextOutbound(); // Q, Int32 length (4 + SQL + NUL), SQL, NUL
        assertThat(sent).startsWith("Q\0\0").endsWith(RecoveryQuery.SQL + "\0").hasSize(1 + 4 + RecoveryQuery.SQL.length() + 1);
        assertThat(promise.isDone()).isFalse();
    }

    @Test
    void aServerInRecoveryIsAReplica() {
        start();
        nextOutbound();
        ch.writeInbound(answer("t"));
        assertThat(promise.getNow().passed()).isTrue();
        assertThat(promise.getNow().role()).isEqualTo(BackendRole.REPLICA);
        assertThat(promise.getNow().rtt()).isPositive();
    }

    @Test
    void aServerNotInRecoveryIsAPrimaryAndTheSessionEndsWithTerminate() {
        start();
        nextOutbound();
        ch.writeInbound(answer("f"));
        assertThat(promise.getNow()).extracting(ProbeResult::role).isEqualTo(BackendRole.PRIMARY);
        assertThat(nextOutbound()).isEqualTo("X\0\0\0\u0004");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anAnswerInPiecesIsStillOneAnswer() {
        start();
        nextOutbound();
        ByteBuf all = answer("f");
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        assertThat(promise.getNow().role()).isEqualTo(BackendRole.PRIMARY);
    }

    @Test
    void anErrorFailsTheProbe() {
        start();
        nextOutbound();
        ByteBuf err = Unpooled.directBuffer();
        ErrorResponse.error("25P02", "current transaction is aborted").encode(err);
        ch.writeInbound(err);
        assertThat(promise.getNow().passed()).isFalse();
        assertThat(promise.getNow().failure()).contains("25P02");
    }

    @Test
    void readyWithoutARowFailsTheProbe() {
        start();
        nextOutbound();
        ch.writeInbound(message('Z', b -> b.writeByte('I')));
        assertThat(promise.getNow().failure()).isEqualTo("health query returned no row");
    }

    @Test
    void aMalformedRowFailsTheProbe() {
        start();
        nextOutbound();
        ch.writeInbound(message('D', b -> b.writeShort(2)));
        assertThat(promise.getNow().passed()).isFalse();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aConnectionLostMidQueryFailsTheProbe() {
        start();
        nextOutbound();
        ch.close();
        assertThat(promise.getNow().failure()).isEqualTo("backend closed the connection during the health query");
    }

    @Test
    void aTimedOutProbeIsNotOverwrittenByALateAnswer() {
        start();
        nextOutbound();
        promise.trySuccess(ProbeResult.failed("no answer within 150 ms"));
        ch.writeInbound(answer("f"));
        assertThat(promise.getNow().failure()).isEqualTo("no answer within 150 ms");
        assertThat((Object) ch.readOutbound()).as("no Terminate after the probe ended").isNull();
    }

    @Test
    void inRecoveryReadsTheSingleBooleanColumn() {
        ByteBuf t = Unpooled.buffer().writeShort(1).writeInt(1).writeByte('t');
        ByteBuf f = Unpooled.buffer().writeShort(1).writeInt(1).writeByte('f');
        ByteBuf nullValue = Unpooled.buffer().writeShort(1).writeInt(-1);
        assertThat(RecoveryQuery.inRecovery(t)).isTrue();
        assertThat(RecoveryQuery.inRecovery(f)).isFalse();
        assertThatThrownBy(() -> RecoveryQuery.inRecovery(nullValue)).isInstanceOf(IllegalArgumentException.class);
    }
}
