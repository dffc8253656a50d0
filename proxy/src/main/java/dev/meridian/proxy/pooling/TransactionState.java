package dev.meridian.proxy.pooling;

import java.util.List;

/**
 * The state machine of one transaction-pooled client, fed with message types only (plus the
 * SQL text of Query and Parse): decides when its backend connection can go back to the pool.
 *
 * <p>Every Query, FunctionCall and Sync the client sends is answered by one ReadyForQuery;
 * Parse, Bind, Describe, Execute, Close and Flush are settled only by the next Sync. The
 * connection may go back when nothing is awaited, nothing is unsynced (a Flush without Sync
 * keeps it: the client waits for results of an open batch), the last ReadyForQuery said 'I'
 * (not in a transaction block, not in a failed one) and no state pins the client. COPY in either
 * direction belongs to a Query still awaiting its ReadyForQuery, so it keeps the connection too.
 */
public final class TransactionState {
    private final Pins pins = new Pins();
    private final SessionSettings settings = new SessionSettings();
    private final QueryTracker rhythm = new QueryTracker();
    private final BoundStatements bound = new BoundStatements();
    private final boolean sharedStatements;
    private boolean errorSinceSettled;

    /** Named statements pin, as with pool.max_prepared_statements: 0. */
    public TransactionState() {
        this(false);
    }

    /**
     * {@code sharedStatements}: protocol-level named statements follow the client to any
     * connection ({@link PreparedStatements}), so a named Parse does not pin.
     */
    public TransactionState(boolean sharedStatements) {
        this.sharedStatements = sharedStatements;
    }

    /** True when named statements are shared across connections rather than pinning. */
    public boolean sharesStatements() {
        return sharedStatements;
    }

    /** A simple Query, about to be sent; returns the reasons it newly pins. */
    public List<PinReason> query(String sql) {
        return query(SqlTokens.statements(sql), sql);
    }

    /** {@link #query(String)} with the text already split by {@link SqlTokens}. */
    public List<PinReason> query(List<List<String>> statements, String sql) {
        boolean alone = rhythm.nothingRunsYet();
        if (alone && settings.offer(statements, sql)) {
            return List.of();
        }
        return unfollowed(statements, alone);
    }

    /**
     * A Parse, about to be sent. Unless statements are shared, a named statement lives on one
     * connection: it pins (until DISCARD ALL or the session ends). Returns the reasons newly pinned.
     */
    public List<PinReason> parse(String name, String sql) {
        List<List<String>> statements = SqlTokens.statements(sql);
        List<PinReason> added = effects(statements, sql);
        if (!name.isEmpty()) {
            bound.parsed(name, statements, sql);
        }
        if (!sharedStatements && !name.isEmpty() && pins.pin(PinReason.NAMED_STATEMENT)) {
            added.add(PinReason.NAMED_STATEMENT);
        }
        return added;
    }

    /**
     * A Bind of named statement {@code name}. Run again without a new Parse (pgjdbc's cached
     * PreparedStatements, node-postgres named queries), its text acts again: a second
     * {@code pg_advisory_lock($1)} after {@code pg_advisory_unlock_all()} pins again, a
     * re-run {@code SET} or {@code RESET ALL} is followed again. Returns the reasons newly pinned.
     */
    public List<PinReason> bind(String name) {
        String sql = bound.rerun(name);
        return sql == null ? List.of() : effects(SqlTokens.statements(sql), sql);
    }

    /** A Close of kind {@code kind} ('S' statement, 'P' portal) and {@code name}. */
    public List<PinReason> close(byte kind, String name) {
        if (kind == 'S') {
            bound.closed(name);
        }
        return List.of();
    }

    /**
     * What a statement about to run does to the session: pins, or a setting followed when it
     * runs alone (outside a transaction block, nothing else run in its request so far).
     */
    private List<PinReason> effects(List<List<String>> statements, String sql) {
        List<PinReason> added = new java.util.ArrayList<>();
        if (settings.hasPending() && pins.pin(PinReason.SET)) {
            added.add(PinReason.SET); // more statements in a batch after a SET: what runs when is unclear
        }
        boolean alone = rhythm.nothingRunsYet();
        if (!(alone && settings.offer(statements, sql))) {
            added.addAll(unfollowed(statements, alone));
        }
        return added;
    }

    /**
     * Statements {@link SessionSettings} does not follow: their pins; and a RESET among them
     * (in a transaction block, in a multi-statement Query) pins too, as a SET there does: it
     * changes settings Meridian would otherwise put back on the next connection. A RESET ALL
     * alone is followed (as a pending reset) and ends a SET pin instead.
     */
    private List<PinReason> unfollowed(List<List<String>> statements, boolean alone) {
        List<PinReason> added = pins.apply(StatementEffects.of(statements));
        boolean followedResetAll = alone && statements.size() == 1 && SessionSettings.resetsAll(statements.get(0));
        if (!followedResetAll && SessionSettings.resets(statements) && pins.pin(PinReason.SET)) {
            added = new java.util.ArrayList<>(added);
            added.add(PinReason.SET);
        }
        return added;
    }

    /** A FunctionCall: whatever the function does is invisible here, so it pins. */
    public List<PinReason> functionCall() {
        return pins.pin(PinReason.UNKNOWN) ? List.of(PinReason.UNKNOWN) : List.of();
    }

    /** Any client message, as it is sent to the backend. */
    public void clientSent(byte type) {
        rhythm.clientSent(type);
        if (type == 'S') {
            bound.synced();
        }
    }

    /** Any backend message; {@code firstBodyByte} is ReadyForQuery's status. */
    public void backendSent(byte type, int firstBodyByte) {
        if (type == 'E') {
            errorSinceSettled = true;
        } else if (type == 'Z') {
            rhythm.backendSent(type, firstBodyByte);
            if (rhythm.settled()) {
                boolean clean = rhythm.status() == 'I' && !errorSinceSettled;
                pins.settled(clean);
                if (!settings.settled(clean)) {
                    pins.pin(PinReason.SET); // a SET may or may not have happened
                }
                errorSinceSettled = false;
            }
        }
    }

    /** True when the backend connection may serve another client now. */
    public boolean releasable() {
        return idle() && !pins.pinned();
    }

    /** Nothing in flight and outside a transaction: a connection left now is clean to reuse. */
    public boolean idle() {
        return rhythm.idle();
    }

    /** Waiting for the client inside a transaction (limits.idle_transaction_timeout). */
    public boolean idleInTransaction() {
        return rhythm.idleInTransaction();
    }

    /** A request is outstanding: a cancel has something to reach. */
    public boolean busy() {
        return rhythm.busy();
    }

    /** The client's session settings (SET statements in force), replayed on another connection. */
    public java.util.Map<String, String> settings() {
        return settings.current();
    }

    public boolean pinned() {
        return pins.pinned();
    }

    /** {@link #pinText()} safe to read from any thread (as of the last change of the pins). */
    public String pinShown() {
        return pins.shown();
    }

    /** The pin reasons, "" when not pinned. */
    public String pinText() {
        return pins.text();
    }
}
