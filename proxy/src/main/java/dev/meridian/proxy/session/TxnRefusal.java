package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.backend.BackendException;
import dev.meridian.proxy.backend.pool.PoolExhaustedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a transaction-pooled client is told when no connection could be had for its next request. */
final class TxnRefusal {
    private static final Logger LOG = LoggerFactory.getLogger(TxnRefusal.class);

    private TxnRefusal() {
    }

    /** {SQLSTATE, message}: 53300 after limits.query_wait_timeout, the server's own refusal, else 08006. */
    static String[] of(long sessionId, String backend, Throwable cause) {
        if (cause instanceof PoolExhaustedException) {
            LOG.info("session {}: {}", sessionId, cause.getMessage());
            return new String[] {SqlState.TOO_MANY_CONNECTIONS, cause.getMessage()};
        }
        if (cause instanceof BackendException e && e.serverError() != null) {
            return new String[] {e.serverError().sqlState(), e.serverError().message()};
        }
        LOG.info("session {}: no backend connection: {}", sessionId, cause.getMessage());
        return new String[] {SqlState.CONNECTION_FAILURE, "connection to backend \"" + backend + "\" failed: "
                + cause.getMessage()};
    }
}
