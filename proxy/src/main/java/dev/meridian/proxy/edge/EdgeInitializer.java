package dev.meridian.proxy.edge;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** An edge connection's pipeline: TLS when {@code tls:} is configured, the HTTP codec, the request handler. */
final class EdgeInitializer extends ChannelInitializer<SocketChannel> {
    static final String AGGREGATOR = "http-aggregator";

    private final EdgeServer edge;

    EdgeInitializer(EdgeServer edge) {
        this.edge = edge;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var tls = edge.proxy().clientTls();
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        }
        ch.pipeline().addLast("http", new HttpServerCodec());
        // Past max_request_bytes the aggregator answers 413 itself and closes.
        ch.pipeline().addLast(AGGREGATOR, new HttpObjectAggregator((int) edge.config().limits().maxRequestBytes()));
        ch.pipeline().addLast(EdgeHttpHandler.NAME, new EdgeHttpHandler(edge));
    }
}
