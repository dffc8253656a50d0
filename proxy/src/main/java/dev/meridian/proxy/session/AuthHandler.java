package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.auth.ChannelBinding;
import dev.meridian.protocol.auth.Md5;
import dev.meridian.protocol.auth.ScramException;
import dev.meridian.protocol.auth.ScramServer;
import dev.meridian.protocol.auth.ScramVerifier;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.Frame;
import dev.meridian.proxy.auth.LookupScope;
import dev.meridian.proxy.auth.UserSecret;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.AuthMethod;
import dev.meridian.proxy.config.MeridianConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FutureListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The authentication phase: proves the client is who it says, then opens its backend.
 *
 * <pre>
 * client                          Meridian
 *                 ◀────────────   AuthenticationSASL [SCRAM-SHA-256-PLUS,] SCRAM-SHA-256
 *   SASLInitialResponse ───────▶
 *                 ◀────────────   AuthenticationSASLContinue (server-first)
 *   SASLResponse  ─────────────▶
 *                 ◀────────────   AuthenticationSASLFinal (server-final), then backend login
 * </pre>
 * md5 is one round (AuthenticationMD5Password, PasswordMessage); trust none (with a users file or
 * auth_query, trust admits only the users listed there). An unknown user runs the same exchange
 * against a mock verifier and fails the same way, so user names cannot be probed. Under
 * {@code md5} every user is asked for md5, also one stored with a SCRAM verifier (unlike
 * PostgreSQL, which switches to SCRAM and so tells how a user is stored), who therefore cannot
 * log in with md5.
 *
 * <p>A failed login is answered with 28P01 as always, but once its client address has failed
 * {@code auth.failure_backoff.after} times that answer is sent late, on the event loop's timer;
 * meanwhile nothing more is read from the client.
 */
final class AuthHandler extends SetupHandler {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramServer scram;
    private ScramVerifier verifier;
    private String md5Hash;
    private byte[] md5Salt;
    private String plainPassword;
    private boolean scramStarted;
    private boolean loginFailed;
    /** A failed login's answer is scheduled: frames that arrive meanwhile are dropped unread. */
    private boolean refusing;

    AuthHandler(ProxyContext proxy, MeridianConfig config, ClientStartup request, SetupDeadline deadline) {
        super(proxy, config, request, deadline);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        boolean trust = config.auth().method() == AuthMethod.TRUST;
        if (trust && !TrustPolicy.listedUsersOnly(config.auth())) {
            authenticated(ctx, BackendCredentials.none(request.user()));
            return;
        }
        LookupScope scope = request.console()
                ? new LookupScope(ctx.channel().eventLoop(), java.util.List.of(), request.database())
                : new LookupScope(ctx.channel().eventLoop(), request.route().candidates(), request.route().backendDatabase());
        var lookup = proxy.users().lookup(request.user(), scope);
        // A client that leaves abandons its lookup: an auth_query waiting or running is given up.
        ctx.channel().closeFuture().addListener(c -> lookup.cancel(false));
        lookup.addListener((FutureListener<Optional<UserSecret>>) f -> {
            if (!ctx.channel().isActive() || f.isCancelled()) {
                return;
            }
            if (f.isSuccess()) {
                begin(ctx, f.getNow());
            } else {
                exceptionCaught(ctx, new ProtocolException(SqlState.CONNECTION_FAILURE,
                        "could not look up user \"" + request.user() + "\": " + f.cause().getMessage()));
            }
        });
    }

    private void begin(ChannelHandlerContext ctx, Optional<UserSecret> secret) {
        if (config.auth().method() == AuthMethod.TRUST) {
            // Trust with a users file or auth_query: only a listed user, refused like a bad password.
            if (secret.isEmpty()) {
                exceptionCaught(ctx, passwordFailed());
            } else {
                authenticated(ctx, BackendCredentials.none(request.user()));
            }
            return;
        }
        plainPassword = secret.filter(s -> s instanceof UserSecret.Plain).map(s -> ((UserSecret.Plain) s).password()).orElse(null);
        // Under md5 every user, known or not, SCRAM-stored or not, is asked the same md5 question
        // (a SCRAM verifier cannot check the answer, so such a user fails like a wrong password):
        // the kind of challenge must not tell which names exist or how they are stored.
        if (config.auth().method() == AuthMethod.MD5) {
            startMd5(ctx, secret);
        } else {
            startScram(ctx, secret);
        }
    }

    private void startMd5(ChannelHandlerContext ctx, Optional<UserSecret> secret) {
        md5Hash = secret.map(s -> s instanceof UserSecret.Md5Hash h ? h.hash()
                : s instanceof UserSecret.Plain p ? Md5.passwordHash(request.user(), p.password()) : null).orElse(null);
        md5Salt = new byte[4];
        RANDOM.nextBytes(md5Salt);
        send(ctx, new Authentication.Md5Password(md5Salt));
    }

    private void startScram(ChannelHandlerContext ctx, Optional<UserSecret> secret) {
        verifier = secret.map(s -> s instanceof UserSecret.Scram v ? v.verifier()
                : s instanceof UserSecret.Plain p ? p.verifier() : null)
                .orElseGet(() -> ScramVerifier.mock(request.user(), proxy.mockSecret()));
        ChannelBinding binding = ctx.pipeline().get(SslHandler.class) != null && proxy.clientTls() != null
                ? proxy.clientTls().channelBinding() : ChannelBinding.none();
        scram = new ScramServer(verifier, binding);
        send(ctx, new Authentication.Sasl(scram.mechanisms()));
    }

    @Override
    protected void onAuthFrame(ChannelHandlerContext ctx, Frame frame) {
        if (refusing) {
            return;
        }
        if (md5Salt == null && scram == null) {
            throw ProtocolException.violation("unexpected message before the authentication request");
        }
        if (md5Salt != null) {
            String response = PasswordMessages.password(frame);
            if (md5Hash == null || !Md5.verify(md5Hash, md5Salt, response)) {
                throw passwordFailed();
            }
            loggedIn(ctx, plainPassword != null ? BackendCredentials.password(request.user(), plainPassword)
                    : BackendCredentials.md5Hash(request.user(), md5Hash));
        } else if (!scramStarted) {
            PasswordMessages.SaslInitial initial = PasswordMessages.saslInitial(frame);
            byte[] serverFirst = scramStep(() -> scram.serverFirstMessage(initial.mechanism(), initial.data()));
            scramStarted = true;
            send(ctx, new Authentication.SaslContinue(serverFirst));
        } else {
            byte[] clientFinal = PasswordMessages.saslResponse(frame);
            byte[] serverFinal = scramStep(() -> scram.serverFinalMessage(clientFinal));
            send(ctx, new Authentication.SaslFinal(serverFinal));
            loggedIn(ctx, plainPassword != null ? BackendCredentials.password(request.user(), plainPassword)
                    : BackendCredentials.scramPassthrough(request.user(), scram.recoveredClientKey(), verifier));
        }
    }


    private byte[] scramStep(Supplier<byte[]> step) {
        try {
            return step.get();
        } catch (ScramException e) {
            throw switch (e.reason()) {
                case AUTHENTICATION_FAILED -> passwordFailed();
                case MALFORMED_MESSAGE, UNEXPECTED_MESSAGE, NONCE_MISMATCH -> ProtocolException.violation(e.getMessage());
                default -> new ProtocolException(SqlState.INVALID_AUTHORIZATION, e.getMessage());
            };
        }
    }

    private void loggedIn(ChannelHandlerContext ctx, BackendCredentials credentials) {
        LoginBackoff.succeeded(proxy, ctx.channel());
        authenticated(ctx, credentials);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Duration delay = loginFailed && !refusing
                ? LoginBackoff.failed(proxy, config.auth().failureBackoff(), ctx.channel()) : Duration.ZERO;
        if (delay.isZero()) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        refusing = true;
        finish(); // late on purpose: the startup deadline must not overtake the 28P01 with 08P01
        ctx.executor().schedule(() -> super.exceptionCaught(ctx, cause), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!refusing) {
            super.channelReadComplete(ctx);
        }
    }

    private ProtocolException passwordFailed() {
        loginFailed = true;
        proxy.authFailed("password");
        proxy.users().invalidate(request.user());
        return new ProtocolException(SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + request.user() + "\"");
    }

    private static void send(ChannelHandlerContext ctx, Authentication message) {
        ByteBuf out = ctx.alloc().buffer();
        message.encode(out);
        ctx.writeAndFlush(out);
    }
}
