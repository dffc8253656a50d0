package dev.meridian.proxy.session;

import dev.meridian.proxy.logging.LogThrottle;
import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the one {@link HAProxyMessage} the header decoder produces, records the client's
 * address, releases the message and leaves the pipeline.
 *
 * <p>Only a PROXY command over TCP or UDP on IPv4/IPv6 carries a client address. LOCAL is the
 * load balancer's own connection (a health probe): the socket's own peer stays the client, as
 * the spec says. So do {@code UNKNOWN} and UNIX-socket sources.
 *
 * <p>A malformed header closes the connection without an ErrorResponse: the decoder has closed
 * it already, as the spec demands ("the receiver must drop the connection"), and the peer that
 * sent a PROXY signature is a load balancer, not a PostgreSQL client that could read one.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaderReader.class);
    private static final LogThrottle THROTTLE = LogThrottle.perMinute();

    /** False for a header from a peer outside {@code listen.proxy_protocol_from}: read, not believed. */
    private final boolean believed;

    ProxyHeaderReader(boolean believed) {
        this.believed = believed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ClientAddress client = clientAddress(header);
            if (client != null && believed) {
                ClientAddresses.record(ctx.channel(), client);
            }
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
    }

    static ClientAddress clientAddress(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        boolean ip = family == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                || family == HAProxyProxiedProtocol.AddressFamily.AF_IPv6;
        if (!ip || header.sourceAddress() == null) {
            return null;
        }
        // The decoder validated the text as an address literal; this never resolves names.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new ClientAddress(address, ClientAddress.Origin.PROXY_HEADER);
    }

    /**
     * Only the header decoder sits before this handler: any decoder failure is a malformed header,
     * including the ones Netty does not wrap in HAProxyProtocolException (a v2 TLV whose length
     * runs past the header is an IndexOutOfBoundsException). Logged once per cause per minute.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            Throwable root = cause instanceof HAProxyProtocolException || cause.getCause() == null ? cause : cause.getCause();
            LogThrottle.Verdict v = THROTTLE.admit(LogThrottle.causeOf(root));
            if (v.log()) {
                LOG.warn("{}: malformed PROXY protocol header, connection closed: {}{}", ctx.channel().remoteAddress(),
                        root instanceof HAProxyProtocolException ? root.getMessage() : root.toString(), v.suffix());
            }
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
