package dev.meridian.proxy.edge;

import dev.meridian.proxy.auth.PasswordCheck;
import dev.meridian.proxy.config.EdgeConfig;
import dev.meridian.proxy.metrics.EdgeMeters;
import dev.meridian.proxy.server.Transport;
import dev.meridian.proxy.session.ClientPipeline;
import dev.meridian.proxy.session.ProxyContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code edge:} listener: HTTP(S) on the proxy's own event loops, serving {@code POST /sql}
 * ({@link SqlEndpoint}) and Postgres over WebSocket on any path ({@link WebSocketUpgrade}).
 * What it shares with the TCP listener (router, health, pool, users) comes from the
 * {@link ProxyContext}; what only the edge needs (password cache, JWT keys, request count,
 * meters) lives here. Settings are read from the configuration in force at each request, so a
 * reload changes CORS origins, trusted proxies, JWT keys and limits; the listen address is
 * bound once.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

    private final ProxyContext proxy;
    private final ClientPipeline sessions;
    private final EdgeConfig initial;
    private final PasswordCheck passwords = new PasswordCheck();
    private final EdgeMeters meters;
    private final JwtVerifiers jwt = new JwtVerifiers();
    private final AtomicInteger inFlight = new AtomicInteger();
    private Channel listener;

    private EdgeServer(ProxyContext proxy, ClientPipeline sessions) {
        this.proxy = proxy;
        this.sessions = sessions;
        this.initial = proxy.config().edge();
        this.meters = new EdgeMeters(proxy.metrics().registry());
    }

    /** Binds {@code edge.listen}; returns once it accepts connections. */
    public static EdgeServer start(ProxyContext proxy, Transport transport, EventLoopGroup boss, EventLoopGroup workers,
                                   ClientPipeline sessions) throws InterruptedException {
        EdgeServer edge = new EdgeServer(proxy, sessions);
        edge.listener = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new EdgeInitializer(edge))
                .bind(edge.initial.host(), edge.initial.port()).sync().channel();
        LOG.info("edge (HTTP /sql, WebSocket) listening on {} ({})", edge.listener.localAddress(),
                proxy.clientTls() == null ? "plain HTTP" : "HTTPS");
        return edge;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The edge settings in force (a reload that drops {@code edge:} keeps the ones it started with). */
    EdgeConfig config() {
        EdgeConfig current = proxy.config().edge();
        return current == null ? initial : current;
    }

    ProxyContext proxy() {
        return proxy;
    }

    ClientPipeline sessions() {
        return sessions;
    }

    PasswordCheck passwords() {
        return passwords;
    }

    EdgeMeters meters() {
        return meters;
    }

    /** The verifier for the JWT keys in force, or null when tokens are not configured. */
    JwtVerifier jwt() {
        return jwt.forConfig(config().jwt());
    }

    /** Takes a request slot; false when {@code edge.limits.max_concurrent_requests} are in flight. */
    boolean enter() {
        if (inFlight.incrementAndGet() > config().limits().maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }
}
