package dev.meridian.proxy.session;

import dev.meridian.protocol.codec.FrontendDecoder;
import dev.meridian.proxy.auth.PasswordCheck;
import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;

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
    /** Set on connections accepted on listen.transaction_port: their sessions are transaction-pooled. */
    public static final AttributeKey<Boolean> TRANSACTION_PORT = AttributeKey.valueOf("meridian.transaction-port");

    private final ProxyContext proxy;
    private final ChannelGroup clients;

    /** {@code clients} tracks every open client connection, so shutdown can close them all. */
    public ClientPipeline(ProxyContext proxy, ChannelGroup clients) {
        this.proxy = proxy;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        track(ch);
        var config = proxy.config();
        ProxyProtocolHandler.install(ch.pipeline(), config.listen());
        if (proxy.clientTls() != null) {
            ch.pipeline().addLast("direct-tls", new DirectTlsDetector(proxy.clientTls()));
        }
        ch.pipeline().addLast(DECODER, new FrontendDecoder(config.limits().clientMessageLimit()));
        ch.pipeline().addLast(STARTUP, new StartupHandler(proxy));
    }

    private void track(Channel ch) {
        clients.add(ch);
        proxy.clientOpened();
        proxy.metrics().clientConnected(ch);
        ch.closeFuture().addListener(f -> proxy.clientClosed());
    }

    /**
     * A Postgres session that arrived another way (the edge's WebSocket, whose frames are already
     * unwrapped into bytes in front of here): from startup on it runs exactly the TCP phases,
     * except that the client logs in with a cleartext password checked by {@code cleartext}.
     * {@code client} is where the connection really comes from (trusted forwarding headers), or null.
     */
    public void adopt(Channel ch, PasswordCheck cleartext, ClientAddress client) {
        track(ch);
        ch.attr(CleartextAuthHandler.KEY).set(cleartext);
        if (client != null) {
            ClientAddresses.record(ch, client);
        }
        ch.pipeline().addLast(DECODER, new FrontendDecoder(proxy.config().limits().clientMessageLimit()));
        ch.pipeline().addLast(STARTUP, new StartupHandler(proxy));
    }
}
