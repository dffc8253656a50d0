package dev.meridian.proxy.backend;

import dev.meridian.protocol.message.ErrorResponse;

/**
 * Why a backend connection could not be made. {@link #unreachable()} failures (TCP refused,
 * timeout, reset during login) may be retried on the next candidate; a refusal by the server
 * itself (an ErrorResponse such as a bad password or a missing database) is passed to the
 * client unchanged.
 */
public final class BackendException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ErrorResponse serverError;
    private final boolean unreachable;

    private BackendException(String message, Throwable cause, ErrorResponse serverError, boolean unreachable) {
        super(message, cause);
        this.serverError = serverError;
        this.unreachable = unreachable;
    }

    public static BackendException unreachable(String message, Throwable cause) {
        return new BackendException(message, cause, null, true);
    }

    public static BackendException refused(ErrorResponse error) {
        return new BackendException("backend refused login: " + error, null, error, false);
    }

    /**
     * Meridian itself refuses to complete the login (e.g. a backend asking for a cleartext
     * password without TLS): the session is answered with this FATAL, not a generic failure.
     */
    public static BackendException refusedByProxy(String sqlState, String message) {
        return new BackendException(message, null, ErrorResponse.fatal(sqlState, message), false);
    }

    public static BackendException failed(String message) {
        return new BackendException(message, null, null, false);
    }

    public boolean unreachable() {
        return unreachable;
    }

    /** The server's own ErrorResponse, or null when the failure was not the server's answer. */
    public ErrorResponse serverError() {
        return serverError;
    }
}
