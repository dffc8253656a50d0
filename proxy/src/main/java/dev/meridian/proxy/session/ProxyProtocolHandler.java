package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.config.Cidr;
import dev.meridian.proxy.config.ListenConfig;
import dev.meridian.proxy.config.ProxyProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first phase of a client connection when {@code listen.proxy_protocol} is {@code optional}
 * or {@code required}: it looks at the first bytes and leaves the pipeline at once. A PROXY
 * protocol header (v1 text or v2 binary) hands the connection to Netty's
 * {@link HAProxyMessageDecoder} and {@link ProxyHeaderReader}, which record the client's real
 * address and leave in turn; anything else goes on to the PostgreSQL decoder ({@code optional})
 * or is refused with 08P01 ({@code required}: the bytes are most likely a PostgreSQL client's
 * startup packet, so it can read the ErrorResponse).
 *
 * <pre>
 * load balancer                                Meridian pipeline
 *   "PROXY TCP4 81.2.69.142 ..." / v2 ──▶  [this] ─▶ [HAProxyMessageDecoder] ─▶ [ProxyHeaderReader]
 *   StartupMessage                    ──▶  [FrontendDecoder] ─▶ [StartupHandler]
 * </pre>
 *
 * The decision needs only the first byte of a PostgreSQL packet (its length starts with 0x00),
 * so a client that sends an 8-byte SSLRequest and waits is never kept waiting. A PostgreSQL
 * packet can never look like a header: both signatures would be lengths over 10000 bytes.
 * With {@code off} this handler is not installed, and a header fails as an invalid startup
 * packet length.
 *
 * <p>A header is believed only from a peer inside {@code listen.proxy_protocol_from}
 * ({@link dev.meridian.proxy.config.ListenConfig#proxyHeaderPeers()}): otherwise a client that
 * reaches the port directly could claim any address, pick its location and, worse, escape the
 * login backoff (which counts failures per believed address). From another peer, a header is
 * refused with {@code required} (closed, logged) and read but ignored with {@code optional}
 * (the TCP peer stays the client).
 */
public final class ProxyProtocolHandler extends ByteToMessageDecoder {
    public static final String NAME = "proxy-protocol";
    static final String HEADER_DECODER = "proxy-protocol-decoder";
    static final String HEADER_READER = "proxy-protocol-reader";

    /** v1: "PROXY" then the protocol; v2: the 12-byte binary signature (PROXY protocol spec §2.1, §2.2). */
    private static final byte[] V1_SIGNATURE = "PROXY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private enum Sniff { NEED_MORE, HEADER, NOT_HEADER }

    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    private final boolean required;
    /** Whether the TCP peer is one whose header is believed. */
    private final boolean trustedPeer;
    private boolean refused;

    private ProxyProtocolHandler(boolean required, boolean trustedPeer) {
        this.required = required;
        this.trustedPeer = trustedPeer;
    }

    /** Adds the phase at the end of {@code pipeline} unless {@code listen.proxy_protocol} is off. */
    public static void install(ChannelPipeline pipeline, ListenConfig listen) {
        if (listen.proxyProtocol() != ProxyProtocol.OFF) {
            install(pipeline, listen.proxyProtocol(), trusted(pipeline.channel().remoteAddress(), listen.proxyHeaderPeers()));
        }
    }

    /** {@code trustedPeer}: whether this connection's peer may send a header that is believed. */
    static void install(ChannelPipeline pipeline, ProxyProtocol mode, boolean trustedPeer) {
        if (mode != ProxyProtocol.OFF) {
            pipeline.addLast(NAME, new ProxyProtocolHandler(mode == ProxyProtocol.REQUIRED, trustedPeer));
        }
    }

    static boolean trusted(SocketAddress peer, List<Cidr> peers) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        return peers.stream().anyMatch(c -> c.contains(inet.getAddress()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        switch (sniff(in)) {
            case NEED_MORE -> { }
            case HEADER -> header(ctx, in);
            case NOT_HEADER -> notHeader(ctx, in);
        }
    }

    private void header(ChannelHandlerContext ctx, ByteBuf in) {
        if (!trustedPeer && required) {
            refused = true;
            in.skipBytes(in.readableBytes());
            LOG.info("{}: PROXY protocol header refused: this peer is not in listen.proxy_protocol_from",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        if (!trustedPeer) {
            LOG.debug("{}: PROXY protocol header ignored: this peer is not in listen.proxy_protocol_from",
                    ctx.channel().remoteAddress());
        }
        // Removal hands the bytes read so far to the next handler: the header decoder.
        ctx.pipeline().addAfter(ctx.name(), HEADER_DECODER, new HAProxyMessageDecoder())
                .addAfter(HEADER_DECODER, HEADER_READER, new ProxyHeaderReader(trustedPeer));
        ctx.pipeline().remove(this);
    }

    private void notHeader(ChannelHandlerContext ctx, ByteBuf in) {
        if (!required) {
            ctx.pipeline().remove(this);
            return;
        }
        refused = true;
        in.skipBytes(in.readableBytes());
        throw ProtocolException.violation("a PROXY protocol header is required on this port");
    }

    private static Sniff sniff(ByteBuf in) {
        boolean v1 = startsLike(in, V1_SIGNATURE);
        boolean v2 = startsLike(in, V2_SIGNATURE);
        if (!v1 && !v2) {
            return Sniff.NOT_HEADER;
        }
        boolean complete = v1 && in.readableBytes() >= V1_SIGNATURE.length
                || v2 && in.readableBytes() >= V2_SIGNATURE.length;
        return complete ? Sniff.HEADER : Sniff.NEED_MORE;
    }

    /** Whether the readable bytes, as far as they go, agree with {@code signature}. */
    private static boolean startsLike(ByteBuf in, byte[] signature) {
        int n = Math.min(in.readableBytes(), signature.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
