package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.tls.ClientTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * PostgreSQL 17's direct TLS: a client may start the TLS handshake at once instead of sending
 * an SSLRequest. The first byte tells: 0x16 is a TLS handshake record, which no startup
 * packet can begin with (it would claim a length over 10000). Direct TLS must negotiate ALPN
 * {@code postgresql}, as the server requires, so a stray TLS client is not taken for Postgres.
 * Whatever the first byte, this handler then leaves the pipeline.
 */
final class DirectTlsDetector extends ByteToMessageDecoder {
    private static final byte TLS_HANDSHAKE = 0x16;

    private final ClientTls tls;

    DirectTlsDetector(ClientTls tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
            SslHandler ssl = tls.newHandler(ctx.alloc());
            ctx.pipeline().addAfter(ctx.name(), ClientPipeline.TLS, ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess() && !ClientTls.ALPN_POSTGRESQL.equals(ssl.applicationProtocol())) {
                    Refusals.fatal(ctx.channel(), SqlState.PROTOCOL_VIOLATION,
                            "received direct SSL connection request without ALPN protocol negotiation extension");
                }
            });
        }
        // Removing this decoder hands the bytes it holds to the next handler.
        ctx.pipeline().remove(this);
    }
}
