package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.pool.PooledConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend side of a transaction-pooled connection: stays on the connection while it
 * belongs to the transaction pool and passes what it reads to whichever session holds the
 * connection now ({@code owner}, null while idle). The session may live on another event loop:
 * it takes the bytes over on its own loop.
 */
final class TxnBackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TxnBackendHandler.class);

    private final PooledConnection connection;
    private volatile TxnSession owner;
    /** The session settings (SET statements) in force on this connection. */
    private volatile java.util.Map<String, String> settings = java.util.Map.of();
    /** The protocol-level statements Meridian prepared here (created by the first session that needs them). */
    private dev.meridian.proxy.pooling.ServerStatements statements;

    TxnBackendHandler(PooledConnection connection) {
        this.connection = connection;
    }

    java.util.Map<String, String> settings() {
        return settings;
    }

    void settings(java.util.Map<String, String> now) {
        settings = now;
    }

    /** Published to the next owner by the pool's hand-over (under its lock). */
    dev.meridian.proxy.pooling.ServerStatements statements(int capacity) {
        if (statements == null) {
            statements = new dev.meridian.proxy.pooling.ServerStatements(capacity);
        }
        return statements;
    }

    void owner(TxnSession session) {
        this.owner = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        TxnSession s = owner;
        if (s == null || !(msg instanceof ByteBuf buf)) {
            // Nobody holds the connection: an asynchronous notice of an idle server, dropped.
            ReferenceCountUtil.release(msg);
            return;
        }
        s.backendRead(connection, buf);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        TxnSession s = owner;
        if (s != null) {
            s.backendReadComplete(connection);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        TxnSession s = owner;
        if (s != null && ctx.channel().isWritable()) {
            s.backendWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        TxnSession s = owner;
        if (s != null) {
            s.backendClosed(connection);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("pooled backend {}: {}", connection.backend().name(), cause.toString());
        } else {
            LOG.warn("pooled backend {}: unexpected error, closing", connection.backend().name(), cause);
        }
        ctx.close();
    }
}
