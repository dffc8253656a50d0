package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.message.Frame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client side of a transaction-pooled session: whole messages (Frames) to the session. */
final class TxnClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TxnClientHandler.class);

    private final TxnSession session;

    TxnClientHandler(TxnSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            session.clientFrame(frame);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.clientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            session.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Shutdown.INSTANCE) {
            session.shutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.clientClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException e) {
            LOG.debug("session {}: client protocol violation: {}", session.sessionId(), e.getMessage());
            session.end(e.sqlState(), e.getMessage());
        } else if (cause instanceof io.netty.handler.codec.DecoderException d && d.getCause() instanceof ProtocolException e) {
            session.end(e.sqlState(), e.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("session {}: client connection error: {}", session.sessionId(), cause.toString());
            ctx.close();
        } else {
            LOG.error("session {}: unexpected error in transaction relay", session.sessionId(), cause);
            session.end(null, null);
        }
    }
}
