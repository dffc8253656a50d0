package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;

/**
 * Stands where the negotiate phase's handler would, behind an HAProxyMessageDecoder: keeps the
 * decoded header (to be released by the test), copies and releases the bytes passed on after it,
 * and on an exception records it and closes the connection. Client bytes passed on with no
 * header before them fail at once.
 */
final class HeaderRecorder extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream passedOn = new ByteArrayOutputStream();
    private HAProxyMessage header;
    private Throwable failure;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage m) {
            assertThat(header).as("a second PROXY header").isNull();
            header = m;
            return;
        }
        try {
            assertThat(msg).isInstanceOf(ByteBuf.class);
            assertThat(header).as("client bytes passed on before a PROXY header").isNotNull();
            passedOn.writeBytes(ByteBufUtil.getBytes((ByteBuf) msg));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    HAProxyMessage header() {
        return header;
    }

    Throwable failure() {
        return failure;
    }

    byte[] passedOn() {
        return passedOn.toByteArray();
    }

    void release() {
        if (header != null) {
            header.release();
        }
    }
}
