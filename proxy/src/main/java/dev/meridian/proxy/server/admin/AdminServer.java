package dev.meridian.proxy.server.admin;

import dev.meridian.proxy.server.ListenPorts;
import dev.meridian.proxy.server.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin HTTP endpoint ({@code admin.port}): {@code /metrics}, {@code /health},
 * {@code /ready}, {@code /routes}. Features register their paths; unknown paths get 404.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final Map<String, AdminRoute> routes = new ConcurrentHashMap<>();
    private final Transport transport;
    private final EventLoopGroup group;
    private Channel listener;

    public AdminServer(Transport transport, EventLoopGroup group) {
        this.transport = transport;
        this.group = group;
    }

    /** Adds or replaces the handler of one path (e.g. "/ready"). */
    public AdminServer route(String path, AdminRoute route) {
        routes.put(path, route);
        return this;
    }

    /** @throws dev.meridian.proxy.server.StartupFailure naming {@code admin.port} when it cannot be bound */
    public AdminServer start(String host, int port) throws InterruptedException {
        listener = ListenPorts.bind("admin.port", new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new AdminHttpHandler(routes));
                    }
                }), host, port);
        return this;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }
}
