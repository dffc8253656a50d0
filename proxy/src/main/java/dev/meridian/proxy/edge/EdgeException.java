package dev.meridian.proxy.edge;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the edge refuses before (or instead of) reaching a backend: an HTTP status and a SQLSTATE. */
final class EdgeException extends RuntimeException {
    private final HttpResponseStatus status;
    private final String sqlState;

    EdgeException(HttpResponseStatus status, String sqlState, String message) {
        super(message, null, false, false);
        this.status = status;
        this.sqlState = sqlState;
    }

    HttpResponseStatus status() {
        return status;
    }

    String sqlState() {
        return sqlState;
    }

    static EdgeException badRequest(String message) {
        return new EdgeException(HttpResponseStatus.BAD_REQUEST, "08P01", message);
    }
}
