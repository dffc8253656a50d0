package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a setup phase answers an exception: a protocol refusal becomes a FATAL ErrorResponse
 * with its SQLSTATE; a connection error is logged at debug; anything else is a bug, logged
 * once with the session id, and the client gets a bare "internal error" (never a stack trace).
 */
final class SessionErrors {
    private static final Logger LOG = LoggerFactory.getLogger(SessionErrors.class);

    private SessionErrors() {
    }

    static void handle(ChannelHandlerContext ctx, long sessionId, Throwable cause) {
        Throwable root = cause instanceof DecoderException && !(cause instanceof ProtocolException)
                && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException e) {
            LOG.debug("session {}: refused: {} {}", sessionId, e.sqlState(), e.getMessage());
            Refusals.fatal(ctx.channel(), e.sqlState(), e.getMessage());
        } else if (root instanceof IOException) {
            LOG.debug("session {}: client connection error during setup: {}", sessionId, root.toString());
            ctx.close();
        } else {
            LOG.error("session {}: unexpected error during setup", sessionId, cause);
            Refusals.fatal(ctx.channel(), SqlState.INTERNAL_ERROR, "internal error in proxy");
        }
    }
}
