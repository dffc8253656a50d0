package dev.meridian.proxy.session;

import dev.meridian.protocol.codec.FrontendDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;

/**
 * The pipeline a client connection starts with: the startup/message decoder and the startup
 * phase. Later phases replace these handlers as each phase ends.
 */
public final class ClientPipeline extends ChannelInitializer<SocketChannel> {
    public static final String DECODER = "frontend-decoder";
    public static final String STARTUP = "startup";

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
        int maxMessageBytes = proxy.config().limits().clientMessageLimit();
        ch.pipeline().addLast(DECODER, new FrontendDecoder(maxMessageBytes));
        ch.pipeline().addLast(STARTUP, new StartupHandler(proxy));
    }
}
