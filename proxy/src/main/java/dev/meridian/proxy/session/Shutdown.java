package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;

/**
 * A user event fired at a client connection when the drain time is over: the session is told
 * FATAL 57P01, as PostgreSQL tells its clients on a fast shutdown, and closed.
 */
public enum Shutdown {
    INSTANCE;

    public static final String SQLSTATE = SqlState.ADMIN_SHUTDOWN;
    public static final String MESSAGE = "terminating connection due to administrator command";
}
