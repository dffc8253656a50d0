package dev.meridian.protocol.auth;

/**
 * The one exception type for every SCRAM protocol failure, whether the peer sent garbage or the
 * credentials were wrong.
 *
 * <p>Callers map {@link #reason()} to a PostgreSQL error (for example {@link
 * Reason#AUTHENTICATION_FAILED} to SQLSTATE 28P01, {@link Reason#MALFORMED_MESSAGE} to 08P01).
 * Messages never contain passwords, keys, proofs or signatures, and echo peer-supplied text only
 * after {@link #sanitize(String) sanitizing} it.
 */
public final class ScramException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the exchange failed. */
    public enum Reason {
        /** A message does not follow the RFC 5802 grammar (PostgreSQL: "malformed SCRAM message"). */
        MALFORMED_MESSAGE,
        /** A message arrived when the exchange was not expecting it, or after it had failed. */
        UNEXPECTED_MESSAGE,
        /** The selected SASL mechanism is not one that was offered. */
        UNSUPPORTED_MECHANISM,
        /** An optional SCRAM feature we do not implement: authzid, mandatory extensions. */
        UNSUPPORTED_FEATURE,
        /** Channel-binding flag, type or data disagree with the mechanism or the TLS channel. */
        CHANNEL_BINDING_MISMATCH,
        /** Client said "y" (thinks the server cannot bind) although we offered -PLUS: downgrade. */
        CHANNEL_BINDING_DOWNGRADE,
        /** The server's nonce does not extend ours, or the client's final nonce is not ours. */
        NONCE_MISMATCH,
        /** The server asked for an iteration count outside the configured bounds. */
        ITERATION_COUNT_OUT_OF_RANGE,
        /** Wrong password, unknown user (mock verifier), or a forged proof. */
        AUTHENTICATION_FAILED,
        /** The server could not prove it knows the verifier. */
        SERVER_SIGNATURE_MISMATCH,
        /** The server ended the exchange with an {@code e=} attribute. */
        SERVER_ERROR,
        /** Passthrough keys cannot work: the backend's salt or iteration count differs. */
        PASSTHROUGH_MISMATCH
    }

    private static final int MAX_ECHO = 64;

    private final Reason reason;

    public ScramException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static ScramException malformed(String detail) {
        return new ScramException(Reason.MALFORMED_MESSAGE, "malformed SCRAM message: " + detail);
    }

    static ScramException unexpected(String detail) {
        return new ScramException(Reason.UNEXPECTED_MESSAGE, detail);
    }

    /**
     * Makes peer-supplied text safe to log: printable ASCII only, bounded length. Used only for
     * values that are not secret (server error codes, channel-binding type names).
     */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_ECHO; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (text.length() > MAX_ECHO) {
            out.append("...");
        }
        return out.toString();
    }
}
