package dev.meridian.protocol;

import io.netty.handler.codec.DecoderException;

/**
 * A violation of the PostgreSQL wire protocol (or a refusal the protocol reports as an error),
 * carrying the SQLSTATE the peer must be told. The message is safe to put on the wire: it
 * never contains secrets or stack traces.
 *
 * <p>It extends {@link DecoderException} so that Netty's {@code ByteToMessageDecoder} passes it
 * through unwrapped.
 */
public final class ProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final boolean answered;

    public ProtocolException(String sqlState, String message) {
        this(sqlState, message, true);
    }

    private ProtocolException(String sqlState, String message, boolean answered) {
        super(message);
        this.sqlState = sqlState;
        this.answered = answered;
    }

    public static ProtocolException violation(String message) {
        return new ProtocolException(SqlState.PROTOCOL_VIOLATION, message);
    }

    /**
     * Bytes that are not a startup packet at all (a bad length: an HTTP request, a TLS hello, a
     * Terminate sent before the startup packet): PostgreSQL logs these as COMMERROR and closes
     * without a word, and so do we; a client that spoke no protocol cannot read an answer.
     */
    public static ProtocolException unanswered(String message) {
        return new ProtocolException(SqlState.PROTOCOL_VIOLATION, message, false);
    }

    public String sqlState() {
        return sqlState;
    }

    /** False when the peer is to be closed without an ErrorResponse (see {@link #unanswered}). */
    public boolean answered() {
        return answered;
    }

    /** Protocol errors are expected input, not bugs: skip the costly stack trace. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
