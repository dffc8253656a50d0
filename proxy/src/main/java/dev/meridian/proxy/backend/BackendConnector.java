package dev.meridian.proxy.backend;

import dev.meridian.protocol.codec.BackendDecoder;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.server.Transport;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.proxy.tls.BackendTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opens and logs in backend connections. A backend connection is made on the client's own
 * event loop, so both halves of a session run on one thread with no hand-offs.
 */
public final class BackendConnector {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);
    public static final String DECODER = "backend-decoder";
    public static final String LOGIN = "backend-login";

    private final Transport transport;
    private final int maxMessageBytes;
    private final Duration connectTimeout;
    private final Duration loginTimeout;
    /** Built once per backend definition (a reloaded definition is a new key). */
    private final Map<BackendConfig, Optional<SslContext>> tlsContexts = new ConcurrentHashMap<>();

    public BackendConnector(Transport transport, int maxMessageBytes, Duration connectTimeout, Duration loginTimeout) {
        this.transport = transport;
        this.maxMessageBytes = maxMessageBytes;
        this.connectTimeout = connectTimeout;
        this.loginTimeout = loginTimeout;
    }

    public Future<BackendConnection> connect(EventLoop loop, BackendConfig backend, StartupMessage startup,
                                             BackendCredentials credentials) {
        Promise<BackendConnection> promise = loop.newPromise();
        SslContext tls;
        try {
            tls = tlsContexts.computeIfAbsent(backend, BackendConnector::tlsContext).orElse(null);
        } catch (UncheckedIOException e) {
            return promise.setFailure(BackendException.failed(e.getCause().getMessage()));
        }
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("backend-tls-negotiator", new BackendTlsNegotiator(backend, tls));
                        }
                        ch.pipeline().addLast(DECODER, new BackendDecoder(maxMessageBytes));
                        ch.pipeline().addLast(LOGIN, new BackendLoginHandler(backend, startup, credentials, promise,
                                tls != null));
                    }
                });
        ChannelFuture cf = BackendKeepAlive.apply(b, transport.socketChannel()).connect(backend.host(), backend.port());
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(BackendException.unreachable("could not connect to backend " + backend.name()
                        + " (" + backend.host() + ":" + backend.port() + "): " + ConnectFailure.describe(f.cause(), backend.host()),
                        f.cause()));
            }
        });
        var timeout = loop.schedule(() -> {
            if (promise.tryFailure(BackendException.unreachable("backend " + backend.name() + " did not finish login within "
                    + loginTimeout.toMillis() + " ms", null))) {
                cf.channel().close();
            }
        }, loginTimeout.toMillis(), TimeUnit.MILLISECONDS);
        promise.addListener(f -> timeout.cancel(false));
        return promise;
    }

    private static Optional<SslContext> tlsContext(BackendConfig backend) {
        try {
            return Optional.ofNullable(BackendTls.contextFor(backend));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Forwards a cancel: a fresh connection carrying only the CancelRequest with the backend's
     * own key. The server answers nothing and closes; so do we once the bytes are out.
     */
    public void cancel(EventLoop loop, BackendConfig backend, CancelRequest request) {
        new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ByteBuf out = ctx.alloc().buffer(16);
                        request.encode(out);
                        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                    }
                })
                .connect(backend.host(), backend.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        LOG.debug("cancel to backend {} failed: {}", backend.name(), f.cause().getMessage());
                    }
                });
    }
}
