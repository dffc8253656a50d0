package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.backend.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend itself is full: it answered a new login with 53300 (too many connections) before
 * Meridian reached {@code pool.max_per_backend}, because its {@code max_connections} is lower or
 * other clients use it too. Idle connections of other pool keys (other users, databases or
 * session parameters, e.g. many {@code application_name}s) then hold the slots a session needs:
 * the longest idle one is closed and the session waits for the slot it frees, as it would at
 * Meridian's own cap. Only when nothing is idle does the client get the backend's 53300.
 */
final class Crowding {
    private static final Logger LOG = LoggerFactory.getLogger(Crowding.class);
    /** Logins a session may try after 53300s: each retry follows one closed idle connection. */
    static final int MAX_RETRIES = 5;

    private Crowding() {
    }

    /** True when {@code cause} is the backend's 53300 and an idle connection was closed for {@code w}. */
    static boolean makeRoom(Throwable cause, Waiter w, Slots s, IdleConnections idle) {
        if (!tooManyConnections(cause) || s.idle() == 0 || w.crowdedRetries() >= MAX_RETRIES
                || w.promise().isDone()) {
            return false;
        }
        w.crowdedRetry();
        LOG.info("backend {} refused a login with 53300 (too many connections): closing an idle pooled "
                + "connection of another pool key to make room", w.backend().name());
        s.enqueue(w);
        idle.evictOne(w.backend().name());
        return true;
    }

    static boolean tooManyConnections(Throwable cause) {
        return cause instanceof BackendException e && e.serverError() != null
                && SqlState.TOO_MANY_CONNECTIONS.equals(e.serverError().sqlState());
    }
}
