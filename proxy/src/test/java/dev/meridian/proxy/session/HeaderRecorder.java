package dev.meridian.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;

/**
 * Stands where the negotiate phase's handler would, behind an HAProxyMessageDecoder, and only
 * records (assertions thrown in a handler would become exceptionCaught): keeps the header
 * decoded before any failure (to be released by the test), copies and releases the bytes passed
 * on, and on the first exception records it and closes the connection. Anything arriving after
 * the failure is released and counted: Netty's decoder, when the channel closes, decodes what is
 * left once more and may still deliver a header then, which the proxy must drop.
 */
final class HeaderRecorder extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream passedOn = new ByteArrayOutputStream();
    private HAProxyMessage header;
    private Throwable failure;
    private int unexpected;
    private int lateHeaders;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failure != null) {
            lateHeaders += msg instanceof HAProxyMessage ? 1 : 0;
            unexpected += msg instanceof HAProxyMessage ? 0 : 1;
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof HAProxyMessage m && header == null) {
            header = m;
        } else if (msg instanceof ByteBuf b && header != null) {
            passedOn.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        } else {
            unexpected++; // bytes before a header, a second header, or something else entirely
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

    /** Messages that must never reach the startup phase: client bytes without a good header first. */
    int unexpected() {
        return unexpected;
    }

    int lateHeaders() {
        return lateHeaders;
    }

    void release() {
        if (header != null) {
            header.release();
        }
    }
}
