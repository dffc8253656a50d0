package dev.meridian.proxy.session;

import dev.meridian.protocol.codec.FrontendDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;

/**
 * The pipeline a client connection starts with: the PROXY protocol phase (unless
 * {@code listen.proxy_protocol} is off), the startup/message decoder and the startup phase.
 * Later phases replace these handlers as each phase ends.
 */
public final class ClientPipeline extends ChannelInitializer<SocketChannel> {
    public static final String DECODER = "frontend-decoder";
    public static final String STARTUP = "startup";
    public static final String AUTH = "auth";
    public static final String TLS = "tls";

    private final ProxyContext proxy;
    private final ChannelGroup clients;

    /** {@code clients} tracks every open client connection, so shutdown can close them all. */
    public ClientPipeline(ProxyContext proxy, ChannelGroup clients) {
        this.proxy = proxy;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        clients.add(ch);
        proxy.clientOpened();
        proxy.metrics().clientConnected(ch);
        ch.closeFuture().addListener(f -> proxy.clientClosed());
        var config = proxy.config();
        int maxMessageBytes = config.limits().clientMessageLimit();
        ProxyProtocolHandler.install(ch.pipeline(), config.listen().proxyProtocol());
        if (proxy.clientTls() != null) {
            ch.pipeline().addLast("direct-tls", new DirectTlsDetector(proxy.clientTls()));
        }
        ch.pipeline().addLast(DECODER, new FrontendDecoder(maxMessageBytes));
        ch.pipeline().addLast(STARTUP, new StartupHandler(proxy));
    }
}
