package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.protocol.message.GssEncRequest;
import dev.meridian.protocol.message.NegotiateProtocolVersion;
import dev.meridian.protocol.message.SslRequest;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.config.ClientTlsMode;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.DecisionText;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.routing.RouteRequest;
import dev.meridian.proxy.routing.Router;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The startup phase of a client connection: answers SSLRequest ('S' and a TLS handshake when
 * TLS is configured, else 'N') and GSSENCRequest ('N'), forwards CancelRequests (to our backend,
 * or to the sibling instance that issued the key: {@link CancelRoute}), and turns a
 * StartupMessage into a routed session request; then it hands the connection to the
 * authentication phase and leaves the pipeline.
 *
 * <pre>
 * client                      Meridian
 *   SSLRequest      ─────────▶  'S' + TLS handshake  |  'N'
 *   StartupMessage  ─────────▶  [NegotiateProtocolVersion]  route → {@link AuthHandler}
 * </pre>
 */
public final class StartupHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StartupHandler.class);

    /** The virtual database of the admin console. */
    public static final String ADMIN_DATABASE = "meridian";

    private final ProxyContext proxy;
    private final Router router;
    private final MeridianConfig config;
    private final long sessionId;
    private SetupDeadline deadline;

    public StartupHandler(ProxyContext proxy) {
        this.proxy = proxy;
        this.router = proxy.router();
        this.config = router.config();
        this.sessionId = proxy.nextSessionId();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = SetupDeadline.arm(ctx.channel(), config.limits().startupTimeout());
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SslRequest) {
            onSslRequest(ctx);
        } else if (msg instanceof GssEncRequest) {
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(SslRequest.REFUSE));
        } else if (msg instanceof CancelRequest cancel) {
            onCancel(ctx, cancel);
        } else if (msg instanceof StartupMessage startup) {
            onStartup(ctx, startup);
        } else {
            ReferenceCountUtil.release(msg);
            throw ProtocolException.violation("unexpected message before startup");
        }
    }

    /** 'S' then the handshake, in front of the decoder; the startup packet follows encrypted. */
    private void onSslRequest(ChannelHandlerContext ctx) {
        if (isTls(ctx)) {
            throw ProtocolException.violation("SSL request received on an encrypted connection");
        }
        if (proxy.clientTls() == null) {
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(SslRequest.REFUSE));
            return;
        }
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(SslRequest.ACCEPT));
        ctx.pipeline().addBefore(ClientPipeline.DECODER, ClientPipeline.TLS, proxy.clientTls().newHandler(ctx.alloc()));
    }

    /** Nothing is ever answered: the client learns the outcome, if at all, on its own session. */
    private void onCancel(ChannelHandlerContext ctx, CancelRequest cancel) {
        CancelRoute route = CancelRoute.of(cancel, proxy.cancels());
        if (route instanceof CancelRoute.Local local) {
            proxy.connector().cancel(ctx.channel().eventLoop(), local.target().backend(),
                    local.target().backendKey().toCancelRequest());
        } else if (route instanceof CancelRoute.Forward forward) {
            proxy.siblings().forward(ctx.channel().eventLoop(), forward.tag(), forward.marked());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: cancel request dropped: {}", sessionId, ((CancelRoute.Drop) route).reason());
        }
        ctx.close();
    }

    private void onStartup(ChannelHandlerContext ctx, StartupMessage received) {
        // Names cut to 63 bytes as PostgreSQL cuts them, before any rule matching, routing or auth.
        StartupMessage startup = received.withParameters(PgNames.truncateStartup(received.parameters()));
        proxy.metrics().startupReceived(ctx.channel(), startup.database());
        Map<String, String> params = new LinkedHashMap<>(startup.parameters());
        List<String> unknownOptions = params.keySet().stream().filter(k -> k.startsWith("_pq_.")).toList();
        if (startup.minorVersion() > 0 || !unknownOptions.isEmpty()) {
            // Not an error: tell the client we speak 3.0 and ignore the protocol extensions.
            ByteBuf out = ctx.alloc().buffer();
            new NegotiateProtocolVersion(0, unknownOptions).encode(out);
            ctx.write(out);
            unknownOptions.forEach(params::remove);
        }
        if (proxy.openClients() > config.limits().maxClientConnections()) {
            // Refused before any routing, auth or backend work, as PostgreSQL does past max_connections.
            throw new ProtocolException(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        }
        if (startup.user() == null || startup.user().isEmpty()) {
            throw new ProtocolException(SqlState.INVALID_AUTHORIZATION, "no PostgreSQL user name specified in startup packet");
        }
        if (proxy.clientTls() != null && proxy.clientTls().mode() == ClientTlsMode.REQUIRE && !isTls(ctx)) {
            throw new ProtocolException(SqlState.INVALID_AUTHORIZATION,
                    "this proxy requires TLS: connect with sslmode=require or stronger");
        }
        StartupOptions options = StartupOptions.parse(params.get("options"));
        if (ADMIN_DATABASE.equals(startup.database())) {
            // admin.users is checked after authentication: refusing a name first would reveal the list.
            if (Replication.requested(params)) {
                throw new ProtocolException(SqlState.INVALID_AUTHORIZATION,
                        "replication connections are not allowed to the admin console");
            }
            ClientStartup console = new ClientStartup(sessionId, startup.withParameters(params), options, null);
            ctx.pipeline().replace(this, ClientPipeline.AUTH, authHandler(ctx, console));
            return;
        }
        RouteRequest routeRequest = RouteRequest.of(startup.database(), ClientAddresses.of(ctx.channel()), options.meridian());
        RouteDecision route = router.route(routeRequest, proxy.health());
        Replication.check(params, route.rule());
        if (route.ranked().isEmpty()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: user={} {}", sessionId, LogSafe.text(startup.user()),
                        LogSafe.text(DecisionText.oneLine(route, -1)));
            }
            throw Router.noBackend(route);
        }
        ClientStartup request = new ClientStartup(sessionId, startup.withParameters(params), options, route);
        ctx.pipeline().replace(this, ClientPipeline.AUTH, authHandler(ctx, request));
    }

    /** SCRAM/md5/trust, or a cleartext password where the transport (the edge's WebSocket) asks for it. */
    private SetupHandler authHandler(ChannelHandlerContext ctx, ClientStartup request) {
        var cleartext = ctx.channel().attr(CleartextAuthHandler.KEY).get();
        return cleartext == null ? new AuthHandler(proxy, config, request, deadline)
                : new CleartextAuthHandler(proxy, config, request, deadline, cleartext);
    }

    private static boolean isTls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (deadline != null) {
            deadline.cancel();
        }
        SessionErrors.handle(ctx, sessionId, cause);
    }
}
