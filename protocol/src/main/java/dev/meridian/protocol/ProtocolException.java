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

    public ProtocolException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public static ProtocolException violation(String message) {
        return new ProtocolException(SqlState.PROTOCOL_VIOLATION, message);
    }

    public String sqlState() {
        return sqlState;
    }

    /** Protocol errors are expected input, not bugs: skip the costly stack trace. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
