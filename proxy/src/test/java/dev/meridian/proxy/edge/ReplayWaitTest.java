package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.readrouting.Lsn;
import dev.meridian.proxy.readrouting.WalPositions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP causal wait's conversation with a replica connection (docs/read-routing.md, "Read-your-writes"). */
class ReplayWaitTest {
    private static final long FLOOR = Lsn.parseOrNull("0/3000100");

    private final EmbeddedChannel replica = new EmbeddedChannel();
    private final WalPositions positions = new WalPositions();
    private final List<Boolean> givenBack = new ArrayList<>();

    ReplayWaitTest() {
        replica.pipeline().addLast(BackendConnector.DECODER, new ChannelInboundHandlerAdapter());
        positions.observed("r", true, null, Lsn.parseOrNull("0/3000000"), null, System.nanoTime());
    }

    @AfterEach
    void close() {
        replica.finishAndReleaseAll();
    }

    private Future<Boolean> start(Duration wait) {
        return new ReplayWait(replica, "r", givenBack::add, positions, FLOOR, wait).run();
    }

    /** The replica answers the position query with {@code lsn} (null: NULL). */
    private void answer(String lsn) {
        assertThat(askedQuery()).isEqualTo(ReplayWait.SQL);
        replica.writeInbound(dataRow(lsn), frame('C', "SELECT 1\0".getBytes(StandardCharsets.US_ASCII)), ReadyForQuery.IDLE);
    }

    private String askedQuery() {
        ByteBuf out = replica.readOutbound();
        try {
            assertThat(out.readByte()).isEqualTo((byte) 'Q');
            out.skipBytes(4);
            return out.readCharSequence(out.readableBytes() - 1, StandardCharsets.UTF_8).toString();
        } finally {
            out.release();
        }
    }

    @Test
    void aReplicaAtTheFloorPassesAndKeepsTheConnection() {
        Future<Boolean> passed = start(Duration.ofSeconds(1));
        answer("0/3000100");
        assertThat(passed.getNow()).isTrue();
        assertThat(givenBack).as("the request runs on it").isEmpty();
        assertThat(replica.pipeline().get(ReplayWait.NAME)).as("the wait left the pipeline").isNull();
        assertThat(positions.of("r").lsn()).as("the replay position learned").isEqualTo(FLOOR);
    }

    @Test
    void aReplicaBehindIsAskedAgainUntilItHasReplayed() throws Exception {
        Future<Boolean> passed = start(Duration.ofSeconds(5));
        answer("0/3000080");
        assertThat(passed.isDone()).isFalse();
        assertThat((Object) replica.readOutbound()).as("no question before the poll interval").isNull();
        Thread.sleep(ReplayWait.POLL_MILLIS * 3);
        replica.runScheduledPendingTasks();
        answer("0/3000200");
        assertThat(passed.getNow()).isTrue();
        assertThat(givenBack).isEmpty();
    }

    @Test
    void whenTheWaitIsOverTheConnectionGoesBackClean() {
        Future<Boolean> passed = start(Duration.ZERO);
        answer("0/3000080");
        assertThat(passed.getNow()).isFalse();
        assertThat(givenBack).as("idle after ReadyForQuery: reusable").containsExactly(true);
        assertThat(replica.pipeline().get(ReplayWait.NAME)).isNull();
    }

    @Test
    void aServerNotInRecoveryEndsTheWaitAtOnce() {
        Future<Boolean> passed = start(Duration.ofSeconds(5));
        answer(null);
        assertThat(passed.getNow()).isFalse();
        assertThat(givenBack).containsExactly(true);
    }

    @Test
    void aConnectionLostDuringTheWaitIsClosedNotReused() {
        Future<Boolean> passed = start(Duration.ofSeconds(5));
        assertThat(askedQuery()).isEqualTo(ReplayWait.SQL);
        replica.close();
        assertThat(passed.getNow()).isFalse();
        assertThat(givenBack).containsExactly(false);
    }

    private static Frame dataRow(String text) {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(1);
        if (text == null) {
            body.writeInt(-1);
        } else {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            body.writeInt(bytes.length).writeBytes(bytes);
        }
        byte[] b = new byte[body.readableBytes()];
        body.readBytes(b);
        body.release();
        return frame('D', b);
    }

    private static Frame frame(char type, byte[] body) {
        ByteBuf whole = Unpooled.buffer();
        whole.writeByte(type).writeInt(4 + body.length).writeBytes(body);
        return new Frame(whole);
    }
}
