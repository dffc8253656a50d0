package dev.meridian.proxy.server.admin;

import dev.meridian.proxy.server.ListenPorts;
import dev.meridian.proxy.server.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP endpoint ({@code admin.port}): {@code /metrics}, {@code /health},
 * {@code /ready}, {@code /routes}. Features register their paths; unknown paths get 404. No one
 * client can wedge it: see {@link AdminLimits} and {@link AdminFlowControl}.
 */
public final class AdminServer implements AutoCloseable {
    private final Map<String, AdminRoute> routes = new ConcurrentHashMap<>();
    private final Transport transport;
    private final EventLoopGroup group;
    private final AdminLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private Channel listener;

    public AdminServer(Transport transport, EventLoopGroup group) {
        this(transport, group, AdminLimits.DEFAULT);
    }

    public AdminServer(Transport transport, EventLoopGroup group, AdminLimits limits) {
        this.transport = transport;
        this.group = group;
        this.limits = limits;
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
                .childOption(ChannelOption.AUTO_READ, false) // AdminFlowControl reads when an answer has left
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        if (open.incrementAndGet() > limits.maxConnections()) {
                            ch.pipeline().addLast(AdminRefusal.INSTANCE);
                            return;
                        }
                        ch.pipeline().addLast(
                                new HttpServerCodec(limits.maxInitialLine(), limits.maxHeaderBytes(), 8192),
                                new HttpObjectAggregator(limits.maxBodyBytes()),
                                new AdminFlowControl(limits),
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
