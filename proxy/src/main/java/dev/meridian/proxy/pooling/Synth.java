package dev.meridian.proxy.pooling;

/**
 * An answer Meridian writes to the client itself, in order with the backend's: ParseComplete
 * for a statement already prepared on the connection, CloseComplete for a Close of a mapped
 * statement, an ErrorResponse in place of the backend's, or the CommandComplete and
 * ReadyForQuery of a DEALLOCATE answered locally ({@code status}: the ReadyForQuery's).
 */
public record Synth(Type type, String sqlState, String message, int status) {
    public enum Type {
        PARSE_COMPLETE,
        CLOSE_COMPLETE,
        ERROR,
        /** CommandComplete "DEALLOCATE", then ReadyForQuery {@code status}. */
        DEALLOCATE,
        /** ErrorResponse, then ReadyForQuery {@code status}: a local DEALLOCATE in a failed transaction. */
        ERROR_READY
    }

    public static final Synth PARSE_COMPLETE = new Synth(Type.PARSE_COMPLETE, null, null, 0);
    public static final Synth CLOSE_COMPLETE = new Synth(Type.CLOSE_COMPLETE, null, null, 0);
    public static final Synth DEALLOCATE = new Synth(Type.DEALLOCATE, null, null, 'I');

    public static Synth error(String sqlState, String message) {
        return new Synth(Type.ERROR, sqlState, message, 0);
    }

    Synth withStatus(int now) {
        return new Synth(type, sqlState, message, now);
    }
}
