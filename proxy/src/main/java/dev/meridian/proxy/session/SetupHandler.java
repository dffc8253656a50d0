package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.codec.FrontendDecoder;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.admin.AdminConsoleHandler;
import dev.meridian.proxy.admin.ConsoleCommands;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.MeridianConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The common part of the last phase before the relay: reads the client's messages for the
 * authentication exchange, and once the client is authenticated opens the backend session and
 * keeps anything the client pipelines until the relay forwards it.
 */
abstract class SetupHandler extends ChannelInboundHandlerAdapter implements SetupPhase {
    protected final ProxyContext proxy;
    protected final MeridianConfig config;
    protected final ClientStartup request;
    private final SetupDeadline deadline;
    private final List<Frame> pending = new ArrayList<>();
    private boolean authenticated;

    SetupHandler(ProxyContext proxy, MeridianConfig config, ClientStartup request, SetupDeadline deadline) {
        this.proxy = proxy;
        this.config = config;
        this.request = request;
        this.deadline = deadline;
    }

    /** One message of the authentication exchange. */
    protected abstract void onAuthFrame(ChannelHandlerContext ctx, Frame frame);

    /** The client proved who it is: open its backend with what its proof allows. */
    protected final void authenticated(ChannelHandlerContext ctx, BackendCredentials clientCredentials) {
        authenticated = true;
        FrontendDecoder decoder = ctx.pipeline().get(FrontendDecoder.class);
        if (decoder != null) {
            decoder.authenticated(); // messages may now be as large as limits.max_message_bytes
        }
        // The deadline covers startup and authentication; backend connect and pool wait have their own.
        deadline.cancel();
        if (request.console()) {
            if (!config.admin().users().contains(request.user())) {
                exceptionCaught(ctx, new ProtocolException(SqlState.INVALID_AUTHORIZATION,
                        "user \"" + request.user() + "\" may not use the admin console (admin.users)"));
                return;
            }
            ctx.pipeline().replace(this, "console", new AdminConsoleHandler(new ConsoleCommands(proxy)));
            return;
        }
        new SessionOpener(proxy, config, ctx.channel(), request, clientCredentials, this).open();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (authenticated) {
            pending.add(frame);
            return;
        }
        try {
            onAuthFrame(ctx, frame);
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!authenticated) {
            ctx.read();
        }
    }

    @Override
    public List<Frame> drainPending() {
        List<Frame> frames = new ArrayList<>(pending);
        pending.clear();
        return frames;
    }

    @Override
    public void finish() {
        deadline.cancel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Shutdown.INSTANCE) {
            Refusals.fatal(ctx.channel(), Shutdown.SQLSTATE, Shutdown.MESSAGE);
        } else {
            ctx.fireUserEventTriggered(evt);
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
        SessionErrors.handle(ctx, request.sessionId(), cause);
    }
}
