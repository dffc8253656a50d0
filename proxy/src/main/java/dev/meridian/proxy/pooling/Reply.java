package dev.meridian.proxy.pooling;

/**
 * What the client expects back for one message Meridian sent to the backend (or answers
 * itself): which backend message ends it ({@link Kind}), what happens to the backend's messages
 * for it ({@link Action}), and how to take back what sending it changed in Meridian's books if
 * PostgreSQL skips or refuses it ({@code undo}).
 */
public final class Reply {
    /** The client message the reply belongs to, by the backend message that completes it. */
    public enum Kind {
        /** Parse: ParseComplete. */
        PARSE,
        /** Bind: BindComplete. */
        BIND,
        /** Describe 'S': ParameterDescription, then RowDescription or NoData. */
        DESCRIBE_STATEMENT,
        /** Describe 'P': RowDescription or NoData. */
        DESCRIBE_PORTAL,
        /** Execute: rows, then CommandComplete, EmptyQueryResponse or PortalSuspended. */
        EXECUTE,
        /** Close: CloseComplete. */
        CLOSE,
        /** Sync: ReadyForQuery; ends the skipping after an error. */
        SYNC,
        /** Query or FunctionCall: everything up to ReadyForQuery; an error inside skips nothing. */
        QUERY;

        boolean completedBy(byte type) {
            return switch (this) {
                case PARSE -> type == '1';
                case BIND -> type == '2';
                case DESCRIBE_STATEMENT, DESCRIBE_PORTAL -> type == 'T' || type == 'n';
                case EXECUTE -> type == 'C' || type == 'I' || type == 's';
                case CLOSE -> type == '3';
                case SYNC, QUERY -> type == 'Z';
            };
        }

        /** An error here makes PostgreSQL skip everything up to the next Sync. */
        boolean extended() {
            return this != SYNC && this != QUERY;
        }
    }

    /** What becomes of the backend's answer. */
    public enum Action {
        /** The client's own message went out: its answer goes to the client. */
        FORWARD,
        /** Meridian's own message (an injected Parse, an eviction Close): its answer is swallowed, an error is not. */
        DROP,
        /** Nothing was sent: Meridian answers ({@link Synth}) once every earlier answer has gone out. */
        SYNTH,
        /** A message sent to make the backend fail (and skip to Sync) exactly where PostgreSQL would: its error is replaced. */
        REPLACE_ERROR
    }

    /**
     * A Bind that may be retried once on a freshly prepared statement if it fails (0A000 "cached
     * plan must not change result type" after DDL): {@code text} was {@code name} on {@code server}.
     */
    public record Retry(StatementText text, String name, ServerStatements server) {
    }

    final Kind kind;
    final Action action;
    final Synth synth;
    Runnable undo;
    /** Set on the first Bind of a request outside a transaction block; cleared when not retryable after all. */
    Retry retry;

    public Reply(Kind kind, Action action, Synth synth, Runnable undo) {
        this.kind = kind;
        this.action = action;
        this.synth = synth;
        this.undo = undo;
    }

    private static final Reply[] FORWARDS = new Reply[Kind.values().length];

    static {
        for (Kind k : Kind.values()) {
            FORWARDS[k.ordinal()] = new Reply(k, Action.FORWARD, null, null);
        }
    }

    /** The client's message as it is, nothing to undo: one shared instance per kind (never written). */
    public static Reply forward(Kind kind) {
        return FORWARDS[kind.ordinal()];
    }

    void undo() {
        Runnable u = undo;
        if (u != null) {
            undo = null;
            u.run();
        }
    }

    @Override
    public String toString() {
        return kind + "/" + action + (synth == null ? "" : "/" + synth);
    }
}
