package dev.meridian.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.bench.codec.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The relay benchmark's harness must relay exactly what a session would, or its numbers mean nothing. */
class RelayPairTest {
    @ParameterizedTest
    @EnumSource(Traffic.class)
    void meridiansRelayDeliversEveryReadUnchanged(Traffic traffic) {
        try (RelayPair pair = RelayPair.meridian()) {
            ByteBuf read = traffic.buffer(PooledByteBufAllocator.DEFAULT);
            byte[] sent = ByteBufUtil.getBytes(read);
            byte[] delivered = traffic.name().startsWith("CLIENT") ? pair.bytesFromClient(read)
                    : pair.bytesFromBackend(read);
            assertThat(delivered).isEqualTo(sent);
        }
    }

    @Test
    void theBaselineDeliversEveryReadUnchanged() {
        try (RelayPair pair = RelayPair.baseline()) {
            ByteBuf query = Traffic.CLIENT_EXTENDED.buffer(PooledByteBufAllocator.DEFAULT);
            byte[] sent = ByteBufUtil.getBytes(query);
            assertThat(pair.bytesFromClient(query)).isEqualTo(sent);
            ByteBuf rows = Traffic.BACKEND_ROWS.buffer(PooledByteBufAllocator.DEFAULT);
            sent = ByteBufUtil.getBytes(rows);
            assertThat(pair.bytesFromBackend(rows)).isEqualTo(sent);
        }
    }

    /** The Meridian pair runs the production session relay: it keeps a client's Terminate from the pooled backend. */
    @Test
    void meridiansPairIsTheSessionRelayNotAPipe() {
        try (RelayPair meridian = RelayPair.meridian(); RelayPair baseline = RelayPair.baseline()) {
            assertThat(meridian.bytesFromClient(terminate())).isEmpty();
            assertThat(baseline.bytesFromClient(terminate())).hasSize(5);
        }
    }

    @Test
    void messagesAreCountedAsTheirConstantsSay() {
        for (Traffic t : Traffic.values()) {
            ByteBuf b = t.buffer(PooledByteBufAllocator.DEFAULT);
            int count = 0;
            for (int i = b.readerIndex(); i < b.writerIndex(); i += 1 + b.getInt(i + 1)) {
                count++;
            }
            b.release();
            assertThat(count).as(t.name()).isEqualTo(t.messages());
        }
    }

    private static ByteBuf terminate() {
        return PooledByteBufAllocator.DEFAULT.directBuffer(5).writeByte('X').writeInt(4);
    }
}
