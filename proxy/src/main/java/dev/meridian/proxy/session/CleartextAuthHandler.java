package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.auth.LookupScope;
import dev.meridian.proxy.auth.PasswordCheck;
import dev.meridian.proxy.auth.UserSecret;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.AuthMethod;
import dev.meridian.proxy.config.MeridianConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FutureListener;
import java.util.List;
import java.util.Optional;

/**
 * Authentication for connections whose transport is already encrypted by someone else: the
 * edge's WebSocket (TLS is the WebSocket's, as with Neon's proxy). The client is asked for its
 * password in clear (AuthenticationCleartextPassword), which is checked against the users file
 * or auth query like a TCP login, and then logs the backend in when the backend has no user of
 * its own.
 *
 * <pre>
 * client                          Meridian
 *                 ◀────────────   AuthenticationCleartextPassword
 *   PasswordMessage ───────────▶  check, then backend login (pool)
 * </pre>
 * Neon's driver pipelines startup, password and first query in one flight
 * ({@code pipelineConnect: "password"}): a password that arrives before the user's secret has
 * been looked up waits for it, and the query waits in {@link SetupHandler}'s pending list.
 * Under {@code auth.method: trust} the password is still asked for (the driver sends it
 * regardless) and is only used to log the backend in.
 */
final class CleartextAuthHandler extends SetupHandler {
    /** Set on a channel whose clients log in with a cleartext password. */
    static final AttributeKey<PasswordCheck> KEY = AttributeKey.valueOf(CleartextAuthHandler.class, "cleartext");

    private final PasswordCheck check;
    private Optional<UserSecret> secret;
    private Frame early;

    CleartextAuthHandler(ProxyContext proxy, MeridianConfig config, ClientStartup request, SetupDeadline deadline,
                         PasswordCheck check) {
        super(proxy, config, request, deadline);
        this.check = check;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        Authentication.CleartextPassword.INSTANCE.encode(out);
        ctx.writeAndFlush(out);
        if (config.auth().method() == AuthMethod.TRUST) {
            secret = Optional.empty();
            return;
        }
        LookupScope scope = request.console()
                ? new LookupScope(ctx.channel().eventLoop(), List.of(), request.database())
                : new LookupScope(ctx.channel().eventLoop(), request.route().candidates(), request.route().backendDatabase());
        proxy.users().lookup(request.user(), scope).addListener((FutureListener<Optional<UserSecret>>) f -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (!f.isSuccess()) {
                exceptionCaught(ctx, new ProtocolException(SqlState.CONNECTION_FAILURE,
                        "could not look up user \"" + request.user() + "\": " + f.cause().getMessage()));
                return;
            }
            secret = f.getNow();
            if (early != null) {
                Frame frame = early;
                early = null;
                try {
                    onAuthFrame(ctx, frame);
                } catch (RuntimeException e) {
                    exceptionCaught(ctx, e);
                } finally {
                    frame.release();
                }
            }
        });
    }

    @Override
    protected void onAuthFrame(ChannelHandlerContext ctx, Frame frame) {
        if (secret == null) {
            if (early != null) {
                throw ProtocolException.violation("unexpected message during authentication");
            }
            early = frame.retain();
            return;
        }
        String password = PasswordMessages.password(frame);
        if (config.auth().method() == AuthMethod.TRUST) {
            authenticated(ctx, BackendCredentials.password(request.user(), password));
            return;
        }
        if (!check.matches(request.user(), secret, password)) {
            proxy.authFailed("password");
            proxy.users().invalidate(request.user());
            throw new ProtocolException(SqlState.INVALID_PASSWORD,
                    "password authentication failed for user \"" + request.user() + "\"");
        }
        LoginBackoff.succeeded(proxy, ctx.channel());
        authenticated(ctx, BackendCredentials.password(request.user(), password));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (early != null) {
            early.release();
            early = null;
        }
        super.channelInactive(ctx);
    }
}
