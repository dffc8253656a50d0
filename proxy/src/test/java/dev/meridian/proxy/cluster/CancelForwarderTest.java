package dev.meridian.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.CancelRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.junit.jupiter.api.Test;

/** What a sibling receives: the marked CancelRequest, behind a PROXY v2 LOCAL header when listeners require one. */
class CancelForwarderTest {
    private static final CancelRequest MARKED =
            ForwardedCancel.mark(new CancelRequest(0x07891234, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}));

    @Test
    void withoutHeaderItIsTheCancelRequestAlone() {
        ByteBuf out = CancelForwarder.encode(Unpooled.buffer(), MARKED, false);
        try {
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("00000014" + "04d2162e" + "07891234" + "deadbeef" + "4d465744");
        } finally {
            out.release();
        }
    }

    @Test
    void theHeaderIsAV2LocalThatNettysDecoderAcceptsAndTheCancelFollowsIntact() {
        EmbeddedChannel ch = new EmbeddedChannel(new HAProxyMessageDecoder());
        ch.writeInbound(CancelForwarder.encode(Unpooled.buffer(), MARKED, true));

        HAProxyMessage header = ch.readInbound();
        try {
            assertThat(header.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
            assertThat(header.command()).isEqualTo(HAProxyCommand.LOCAL);
        } finally {
            header.release();
        }
        ByteBuf rest = ch.readInbound();
        try {
            assertThat(ByteBufUtil.hexDump(rest)).isEqualTo("00000014" + "04d2162e" + "07891234" + "deadbeef" + "4d465744");
        } finally {
            rest.release();
        }
        assertThat(ch.finish()).isFalse();
    }
}
