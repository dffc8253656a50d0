package dev.meridian.proxy.backend;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.config.BackendConfig;

/**
 * The backend authentication floor, like libpq's {@code require_auth}: a backend that asks for
 * a cleartext password (AuthenticationCleartextPassword) over a connection without TLS gets no
 * password unless it is configured {@code allow_cleartext: true}. Otherwise anyone on the path,
 * or a server impersonating the backend after answering 'N' to the SSLRequest (the default
 * {@code tls: prefer}), would read the password, on every health check.
 */
final class CleartextFloor {
    private CleartextFloor() {
    }

    /** Throws a 28000 refusal naming the backend and the key, unless the password may go. */
    static void check(BackendConfig backend, boolean tls) throws BackendException {
        if (!tls && !backend.allowCleartext()) {
            throw BackendException.refusedByProxy(SqlState.INVALID_AUTHORIZATION, "backend " + backend.name()
                    + " asks for a cleartext password over a connection without TLS: not sent (use tls: { mode: require }"
                    + " on the backend, or set allow_cleartext: true on backend " + backend.name() + ")");
        }
    }
}
