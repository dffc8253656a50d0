package dev.meridian.proxy.backend;

import dev.meridian.protocol.auth.Md5;
import dev.meridian.protocol.auth.ChannelBinding;
import dev.meridian.protocol.auth.ScramClient;
import dev.meridian.protocol.auth.ScramVerifier;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.protocol.message.NoticeResponse;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs into a backend as a client would, then leaves the pipeline.
 *
 * <pre>
 * proxy                         backend
 *   StartupMessage  ───────────▶
 *                   ◀─────────── Authentication (SASL | MD5 | cleartext | Ok)
 *   password / SASL ───────────▶            (repeated as the method needs)
 *                   ◀─────────── AuthenticationOk, ParameterStatus*, BackendKeyData, ReadyForQuery
 * </pre>
 * The promise completes with a {@link BackendConnection} on ReadyForQuery, or fails with a
 * {@link BackendException}.
 */
final class BackendLoginHandler extends ChannelInboundHandlerAdapter {
    private static final String SCRAM = "SCRAM-SHA-256";

    private final boolean waitForTls;
    private final BackendConfig backend;
    private final StartupMessage startup;
    private final BackendCredentials credentials;
    private final Promise<BackendConnection> promise;
    private final List<ParameterStatus> parameters = new ArrayList<>();
    private final List<NoticeResponse> notices = new ArrayList<>();
    private BackendKeyData keyData;
    private ScramClient scram;
    private ChannelBinding channelBinding = ChannelBinding.none();
    /** Whether the connection is encrypted (TLS negotiated before the startup packet). */
    private boolean tls;

    BackendLoginHandler(BackendConfig backend, StartupMessage startup, BackendCredentials credentials,
                        Promise<BackendConnection> promise, boolean waitForTls) {
        this.waitForTls = waitForTls;
        this.backend = backend;
        this.startup = startup;
        this.credentials = credentials;
        this.promise = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!waitForTls) {
            sendStartup(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof BackendTlsNegotiator.Ready ready) {
            tls = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null;
            if (ready.peerCertificate() != null) {
                channelBinding = bindingFor(ready.peerCertificate());
            }
            sendStartup(ctx);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Binding data for SCRAM-SHA-256-PLUS; none when the certificate's hash is unusable. */
    private static ChannelBinding bindingFor(java.security.cert.X509Certificate cert) {
        try {
            return ChannelBinding.tlsServerEndPoint(cert);
        } catch (IllegalArgumentException e) {
            return ChannelBinding.none();
        }
    }

    private void sendStartup(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        startup.encode(out);
        ctx.writeAndFlush(out);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try {
            if (msg instanceof Authentication auth) {
                authenticate(ctx, auth);
            } else if (msg instanceof ParameterStatus p) {
                parameters.add(p);
            } else if (msg instanceof BackendKeyData k) {
                keyData = k;
            } else if (msg instanceof NoticeResponse n) {
                notices.add(n);
            } else if (msg instanceof ErrorResponse e) {
                fail(ctx, BackendException.refused(e));
            } else if (msg instanceof ReadyForQuery rfq) {
                ctx.pipeline().remove(this);
                if (!promise.trySuccess(new BackendConnection(ctx.channel(), backend, parameters, keyData, notices, rfq))) {
                    ctx.close();
                }
            } else if (msg instanceof Frame f) {
                fail(ctx, BackendException.failed("unexpected '" + (char) f.type() + "' message from backend during login"));
            }
            // NegotiateProtocolVersion: we ask for 3.0 with no options, so there is nothing to adjust.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void authenticate(ChannelHandlerContext ctx, Authentication auth) {
        if (auth == Authentication.Ok.INSTANCE) {
            return;
        }
        ByteBuf out = ctx.alloc().buffer();
        try {
            if (respond(out, auth)) {
                ctx.writeAndFlush(out.retain());
            }
        } catch (BackendException e) {
            fail(ctx, e);
        } catch (RuntimeException e) {
            // SCRAM failures: the server is not who it claims, or sent garbage.
            fail(ctx, BackendException.failed("authentication with backend " + backend.name() + " failed: " + e.getMessage()));
        } finally {
            out.release();
        }
    }

    /** Writes the answer to one authentication request; false when there is nothing to send. */
    private boolean respond(ByteBuf out, Authentication auth) throws BackendException {
        if (auth instanceof Authentication.CleartextPassword) {
            CleartextFloor.check(backend, tls);
            FrontendMessages.password(out, requirePassword("a cleartext password"));
        } else if (auth instanceof Authentication.Md5Password m) {
            FrontendMessages.password(out, md5Response(m.salt()));
        } else if (auth instanceof Authentication.Sasl s) {
            startScram(out, s);
        } else if (auth instanceof Authentication.SaslContinue c) {
            FrontendMessages.saslResponse(out, scramStep().clientFinalMessage(c.data()));
        } else if (auth instanceof Authentication.SaslFinal f) {
            scramStep().verifyServerFinal(f.data());
            return false;
        } else {
            throw BackendException.failed("backend " + backend.name()
                    + " asks for unsupported authentication method " + auth.code());
        }
        return true;
    }

    private String md5Response(byte[] salt) throws BackendException {
        if (credentials.password() != null) {
            return Md5.clientResponseFromPassword(credentials.user(), credentials.password(), salt);
        }
        if (credentials.md5Hash() != null) {
            return Md5.clientResponse(credentials.md5Hash(), salt);
        }
        throw missingSecret("an md5 password");
    }

    private void startScram(ByteBuf out, Authentication.Sasl sasl) throws BackendException {
        if (!sasl.mechanisms().contains(SCRAM)) {
            throw BackendException.failed("backend " + backend.name() + " offers no supported SASL mechanism " + sasl.mechanisms());
        }
        if (credentials.password() != null) {
            scram = ScramClient.withPassword(credentials.password());
        } else if (credentials.hasScramKeys()) {
            ScramVerifier v = credentials.scramVerifier();
            scram = ScramClient.withKeys(credentials.scramClientKey(), v.serverKey(), v.iterations(), v.salt());
        } else {
            throw missingSecret("a SCRAM password");
        }
        scram.channelBinding(channelBinding);
        String mechanism = scram.selectMechanism(sasl.mechanisms());
        FrontendMessages.saslInitialResponse(out, mechanism, scram.clientFirstMessage());
    }

    private ScramClient scramStep() throws BackendException {
        if (scram == null) {
            throw BackendException.failed("backend " + backend.name() + " sent a SASL message out of order");
        }
        return scram;
    }

    private String requirePassword(String what) throws BackendException {
        if (credentials.password() == null) {
            throw missingSecret(what);
        }
        return credentials.password();
    }

    private BackendException missingSecret(String what) {
        return BackendException.failed("backend " + backend.name() + " asks for " + what + " for user \""
                + credentials.user() + "\" and Meridian holds none it can answer with");
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!promise.isDone()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        promise.tryFailure(BackendException.unreachable("backend " + backend.name() + " closed the connection during login", null));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (root instanceof BackendException e) {
            fail(ctx, e);
        } else if (root instanceof javax.net.ssl.SSLException) {
            // A certificate that does not verify is a configuration problem, not an outage.
            fail(ctx, BackendException.failed("TLS with backend " + backend.name() + " failed: " + root.getMessage()));
        } else if (cause instanceof IOException) {
            fail(ctx, BackendException.unreachable("backend " + backend.name() + ": " + cause.getMessage(), cause));
        } else {
            fail(ctx, BackendException.failed("backend " + backend.name() + ": " + cause.getMessage()));
        }
    }

    private void fail(ChannelHandlerContext ctx, BackendException e) {
        promise.tryFailure(e);
        ctx.close();
    }
}
