package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.CancelRequest;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.GssEncRequest;
import dev.meridian.protocol.message.NegotiateProtocolVersion;
import dev.meridian.protocol.message.SslRequest;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.DecisionText;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.routing.RouteRequest;
import dev.meridian.proxy.routing.Router;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The startup phase of a client connection: answers SSLRequest/GSSENCRequest, forwards
 * CancelRequests, and turns a StartupMessage into a routed session request. It stays in the
 * pipeline, holding any messages the client pipelines, until the relay takes over.
 *
 * <pre>
 * client                      Meridian
 *   SSLRequest      ─────────▶  'N'          (no TLS configured)
 *   StartupMessage  ─────────▶  [NegotiateProtocolVersion]  route → auth → backend login
 *                   ◀─────────  AuthenticationOk, ParameterStatus*, BackendKeyData, ReadyForQuery
 * </pre>
 */
public final class StartupHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StartupHandler.class);

    private final ProxyContext proxy;
    private final Router router;
    private final MeridianConfig config;
    private final long sessionId;
    private final List<Frame> pending = new ArrayList<>();
    private ScheduledFuture<?> timeout;
    private boolean started;

    public StartupHandler(ProxyContext proxy) {
        this.proxy = proxy;
        this.router = proxy.router();
        this.config = router.config();
        this.sessionId = proxy.nextSessionId();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long millis = config.limits().startupTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> Refusals.fatal(ctx.channel(), SqlState.PROTOCOL_VIOLATION,
                "canceling authentication due to timeout"), millis, TimeUnit.MILLISECONDS);
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            onFrame(ctx, frame);
        } else if (msg instanceof SslRequest || msg instanceof GssEncRequest) {
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(SslRequest.REFUSE));
        } else if (msg instanceof CancelRequest cancel) {
            onCancel(ctx, cancel);
        } else if (msg instanceof StartupMessage startup) {
            onStartup(ctx, startup);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Messages pipelined behind the startup are kept, in order, for the backend. */
    private void onFrame(ChannelHandlerContext ctx, Frame frame) {
        if (!started) {
            frame.release();
            throw ProtocolException.violation("unexpected message before startup");
        }
        pending.add(frame);
    }

    private void onCancel(ChannelHandlerContext ctx, CancelRequest cancel) {
        proxy.cancels().find(cancel).ifPresent(target -> proxy.connector()
                .cancel(ctx.channel().eventLoop(), target.backend(), target.backendKey().toCancelRequest()));
        ctx.close();
    }

    private void onStartup(ChannelHandlerContext ctx, StartupMessage startup) {
        started = true;
        Map<String, String> params = new LinkedHashMap<>(startup.parameters());
        List<String> unknownOptions = params.keySet().stream().filter(k -> k.startsWith("_pq_.")).toList();
        if (startup.minorVersion() > 0 || !unknownOptions.isEmpty()) {
            // Not an error: tell the client we speak 3.0 and ignore the protocol extensions.
            ByteBuf out = ctx.alloc().buffer();
            new NegotiateProtocolVersion(0, unknownOptions).encode(out);
            ctx.write(out);
            unknownOptions.forEach(params::remove);
        }
        if (startup.user() == null || startup.user().isEmpty()) {
            throw new ProtocolException(SqlState.INVALID_AUTHORIZATION, "no PostgreSQL user name specified in startup packet");
        }
        StartupOptions options = StartupOptions.parse(params.get("options"));
        RouteRequest routeRequest = RouteRequest.of(startup.database(), ClientAddresses.of(ctx.channel()), options.meridian());
        RouteDecision route = router.route(routeRequest, proxy.health());
        if (route.ranked().isEmpty()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: user={} {}", sessionId, startup.user(), DecisionText.oneLine(route, -1));
            }
            throw Router.noBackend(startup.database(), route.rule());
        }
        ClientStartup request = new ClientStartup(sessionId, startup.withParameters(params), options, route);
        new SessionOpener(proxy, config, ctx.channel(), request, this).open();
    }

    /** Hands over the messages the client pipelined; the caller now owns them. */
    List<Frame> drainPending() {
        List<Frame> frames = new ArrayList<>(pending);
        pending.clear();
        return frames;
    }

    /** The startup phase is over (relay running or connection refused). */
    void finish() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!started) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        pending.forEach(Frame::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish();
        if (cause instanceof ProtocolException e) {
            LOG.debug("session {}: refused: {} {}", sessionId, e.sqlState(), e.getMessage());
            Refusals.fatal(ctx.channel(), e.sqlState(), e.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("session {}: client connection error during startup: {}", sessionId, cause.toString());
            ctx.close();
        } else {
            LOG.error("session {}: unexpected error during startup", sessionId, cause);
            Refusals.fatal(ctx.channel(), SqlState.INTERNAL_ERROR, "internal error in proxy");
        }
    }
}
