package dev.meridian.proxy.backend;

import dev.meridian.protocol.message.SslRequest;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.tls.BackendTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Asks a backend for TLS before login, as libpq does: SSLRequest, then one byte. 'S' puts an
 * SslHandler in front of the decoder; 'N' is accepted only in {@code prefer} mode. Bytes after
 * the 'S' that arrived before the handshake are refused (CVE-2021-23222). When done it fires
 * {@link Ready} and leaves the pipeline.
 */
final class BackendTlsNegotiator extends ChannelInboundHandlerAdapter {
    /** TLS negotiation finished; {@code peerCertificate} is null for a plaintext connection. */
    record Ready(X509Certificate peerCertificate) {
    }

    private final BackendConfig backend;
    private final SslContext context;

    BackendTlsNegotiator(BackendConfig backend, SslContext context) {
        this.backend = backend;
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer(8);
        SslRequest.INSTANCE.encode(out);
        ctx.writeAndFlush(out);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte answer = buf.readByte();
            if (buf.isReadable()) {
                throw new IllegalStateException("backend " + backend.name() + " sent unencrypted data after its SSL response");
            }
            if (answer == SslRequest.ACCEPT) {
                startTls(ctx);
            } else if (answer == SslRequest.REFUSE && !BackendTls.required(backend.tls().mode())) {
                ctx.pipeline().remove(this);
                ctx.pipeline().fireUserEventTriggered(new Ready(null));
            } else {
                throw new IllegalStateException("backend " + backend.name() + " does not accept TLS (tls.mode: "
                        + backend.tls().mode().name().toLowerCase().replace('_', '-') + ")");
            }
        } catch (RuntimeException e) {
            ctx.fireExceptionCaught(BackendException.failed(e.getMessage()));
        } finally {
            buf.release();
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        SslHandler ssl = context.newHandler(ctx.alloc(), backend.host(), backend.port());
        ctx.pipeline().addAfter(ctx.name(), "backend-tls", ssl);
        ctx.pipeline().remove(this);
        var pipeline = ctx.pipeline();
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                pipeline.fireUserEventTriggered(new Ready(peerCertificate(ssl)));
            }
            // A failed handshake reaches the login handler as an exception.
        });
    }

    private static X509Certificate peerCertificate(SslHandler ssl) {
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
