package dev.meridian.proxy.pooling;

import java.util.Locale;

/**
 * Why a transaction-pooled client keeps its backend connection: session state that cannot
 * follow it to another connection. {@link #label()} is the {@code reason} of
 * {@code meridian_pool_pins_total} and of SHOW CLIENTS.
 */
public enum PinReason {
    /** pg_advisory_lock / pg_try_advisory_lock (and _shared): held until unlocked or the session ends. */
    ADVISORY_LOCK,
    /** LISTEN: notifications arrive on the connection that listens. */
    LISTEN,
    /** SQL PREPARE: a statement that lives on one connection. */
    PREPARE,
    /** DECLARE ... WITH HOLD: a cursor that outlives its transaction. */
    CURSOR_WITH_HOLD,
    /** CREATE TEMP ... / SELECT INTO TEMP / pg_temp: objects of one connection. */
    TEMP_TABLE,
    /** LOAD: a library loaded into one backend process. */
    LOAD,
    /** SET / set_config(..., false) / SET SESSION CHARACTERISTICS outside SET LOCAL. */
    SET,
    /** SET ROLE / SET SESSION AUTHORIZATION: who the session is, which RESET ALL does not undo. */
    SET_ROLE,
    /** A protocol-level named prepared statement (Parse with a name). */
    NAMED_STATEMENT,
    /** DO blocks, FunctionCall messages and the like: effects the lexer cannot see. */
    UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
