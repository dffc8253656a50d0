package dev.meridian.proxy.pooling;

/**
 * Follows the request/response rhythm of a session from message types alone, to know when the
 * backend is idle: every Query, FunctionCall and Sync the client sends is answered by exactly
 * one ReadyForQuery; extended-protocol messages (Parse, Bind, Describe, Execute, Close, Flush)
 * are only settled by the next Sync. Idle = nothing awaited, nothing unsynced, and the last
 * ReadyForQuery said 'I' (not in a transaction, not in a failed one).
 */
public final class QueryTracker {
    private int awaitingReady;
    private boolean unsynced;
    /** A Bind or Execute since the last Sync: something of the open batch runs. */
    private boolean running;
    private int status = 'I';

    public void clientSent(byte type) {
        switch (type) {
            case 'Q', 'F' -> awaitingReady++;
            case 'S' -> {
                awaitingReady++;
                unsynced = false;
                running = false;
            }
            case 'B', 'E' -> {
                unsynced = true;
                running = true;
            }
            case 'P', 'D', 'C', 'H' -> unsynced = true;
            default -> {
                // CopyData/CopyDone/CopyFail belong to a Query already counted; Terminate ends it all.
            }
        }
    }

    public void backendSent(byte type, int firstBodyByte) {
        if (type == 'Z') {
            awaitingReady = Math.max(0, awaitingReady - 1);
            status = firstBodyByte;
        }
    }

    /**
     * Nothing awaited, outside a transaction block, and nothing run in the open batch: a
     * statement sent now runs alone, as a session-level change. A Close, Parse or Describe
     * ahead of it in the batch runs nothing (pgjdbc sends Close of its dropped statements in
     * front of the next request).
     */
    public boolean nothingRunsYet() {
        return awaitingReady == 0 && !running && status == 'I';
    }

    /** True when a new client could take over this backend after a reset. */
    public boolean idle() {
        return awaitingReady == 0 && !unsynced && status == 'I';
    }

    /**
     * True when the session waits for the client inside a transaction (the last ReadyForQuery
     * said 'T' or 'E', nothing is awaited or unsynced): what PostgreSQL's
     * idle_in_transaction_session_timeout measures.
     */
    public boolean idleInTransaction() {
        return awaitingReady == 0 && !unsynced && (status == 'T' || status == 'E');
    }

    /** True while a request is outstanding (a query is running or results are streaming). */
    public boolean busy() {
        return awaitingReady > 0;
    }

    /** Nothing awaited and nothing unsynced: the last ReadyForQuery settled every request. */
    public boolean settled() {
        return awaitingReady == 0 && !unsynced;
    }

    /** The status of the last ReadyForQuery ('I', 'T' or 'E'). */
    public int status() {
        return status;
    }
}
