package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import io.netty.channel.ChannelHandlerContext;
import dev.meridian.proxy.logging.LogThrottle;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a setup phase answers an exception: a protocol refusal becomes a FATAL ErrorResponse
 * with its SQLSTATE (bytes that are no startup packet at all are closed without one, as
 * PostgreSQL does: {@link ProtocolException#unanswered}); a connection error is logged at debug; anything else is a bug, logged
 * once with the session id, and the client gets a bare "internal error" (never a stack trace).
 */
final class SessionErrors {
    private static final Logger LOG = LoggerFactory.getLogger(SessionErrors.class);
    private static final LogThrottle THROTTLE = LogThrottle.perMinute();

    private SessionErrors() {
    }

    static void handle(ChannelHandlerContext ctx, long sessionId, Throwable cause) {
        Throwable root = cause instanceof DecoderException && !(cause instanceof ProtocolException)
                && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException e && !e.answered()) {
            LOG.debug("session {}: closed without an answer: {}", sessionId, LogSafe.text(e.getMessage()));
            ctx.close();
        } else if (root instanceof ProtocolException e) {
            LOG.debug("session {}: refused: {} {}", sessionId, e.sqlState(), LogSafe.text(e.getMessage()));
            Refusals.fatal(ctx.channel(), e.sqlState(), e.getMessage());
        } else if (root instanceof IOException) {
            LOG.debug("session {}: client connection error during setup: {}", sessionId, root.toString());
            ctx.close();
        } else {
            unexpected(sessionId, "during setup", cause);
            Refusals.fatal(ctx.channel(), SqlState.INTERNAL_ERROR, "internal error in proxy");
        }
    }

    /**
     * A bug of ours, logged once per cause per minute: with its stack trace the first time, as
     * one line with the count held back after that (never a stack trace per connection).
     */
    static void unexpected(long sessionId, String where, Throwable cause) {
        LogThrottle.Verdict v = THROTTLE.admit(LogThrottle.causeOf(cause));
        if (!v.log()) {
            return;
        }
        if (v.firstEver()) {
            LOG.error("session {}: unexpected error {}", sessionId, where, cause);
        } else {
            LOG.error("session {}: unexpected error {}: {}{}", sessionId, where, cause, v.suffix());
        }
    }
}
