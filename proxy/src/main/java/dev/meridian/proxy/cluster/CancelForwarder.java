package dev.meridian.proxy.cluster;

import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one cancel to a sibling's client port, as a client would: a fresh connection carrying
 * only the CancelRequest, closed once the bytes are out (PostgreSQL answers a cancel with
 * nothing, and so does Meridian). When this instance's own listener requires a PROXY header, the
 * siblings' do too (they share the configuration), and the connection starts with a PROXY v2
 * LOCAL header: "the connection was established on purpose by the proxy without being relayed",
 * so the receiver keeps the socket's own address (PROXY protocol spec §2.2).
 */
final class CancelForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(CancelForwarder.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** PROXY v2: the 12-byte signature, version 2 + LOCAL (0x20), UNSPEC family (0x00), no addresses. */
    private static final byte[] V2_LOCAL = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
        0x20, 0x00, 0x00, 0x00};

    private final Transport transport;

    CancelForwarder(Transport transport) {
        this.transport = transport;
    }

    /** Connects on {@code loop}; a failure is logged at debug and otherwise ignored. */
    void send(EventLoop loop, String instance, InetSocketAddress address, CancelRequest request, boolean proxyHeader) {
        new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(encode(ctx.alloc().buffer(36), request, proxyHeader))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                })
                .connect(address)
                .addListener(f -> {
                    if (f.isSuccess()) {
                        LOG.debug("cancel forwarded to instance {} at {}", instance, address);
                    } else {
                        LOG.debug("cancel to instance {} at {} failed: {}", instance, address, f.cause().toString());
                    }
                });
    }

    /** The bytes a sibling receives. */
    static ByteBuf encode(ByteBuf out, CancelRequest request, boolean proxyHeader) {
        if (proxyHeader) {
            out.writeBytes(V2_LOCAL);
        }
        request.encode(out);
        return out;
    }
}
