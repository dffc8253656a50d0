package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.MessageScanner;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of the relay. Reads are explicit ({@code AUTO_READ} off): a buffer read from
 * this channel is written to the peer, the peer is flushed once per read batch, and the next
 * read is issued only while the peer can take more. When the peer's outbound buffer drains
 * below the low watermark, the peer's handler resumes reading here: that is the backpressure.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RelayHandler.class);

    private final RelaySession session;
    private final Channel peer;
    private final MessageScanner scanner;
    private final boolean clientSide;

    RelayHandler(RelaySession session, Channel peer, MessageScanner scanner, boolean clientSide) {
        this.session = session;
        this.peer = peer;
        this.scanner = scanner;
        this.clientSide = clientSide;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (clientSide) {
            session.forwardFromClient(buf);
            return;
        }
        session.fromBackend(buf.readableBytes());
        try {
            scanner.scan(buf);
        } catch (ProtocolException e) {
            buf.release();
            throw e;
        }
        peer.write(buf, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    /** This channel drained: the peer may read again (its handler stopped when we filled up). */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Shutdown.INSTANCE && clientSide) {
            session.shutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (clientSide) {
            session.clientClosed();
        } else {
            session.backendClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException e && clientSide) {
            LOG.debug("session {}: client protocol violation: {}", session.sessionId(), LogSafe.text(e.getMessage()));
            session.clientViolation(e);
        } else if (cause instanceof IOException) {
            LOG.debug("session {}: {} connection error: {}", session.sessionId(), clientSide ? "client" : "backend", cause.toString());
            ctx.close();
        } else {
            SessionErrors.unexpected(session.sessionId(), "in relay", cause);
            session.closeBoth();
        }
    }
}
