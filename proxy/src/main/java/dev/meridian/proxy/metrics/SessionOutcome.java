package dev.meridian.proxy.metrics;

/** How a client's session attempt ended up: the {@code outcome} of {@code meridian_sessions_total}. */
public enum SessionOutcome {
    /** A backend accepted the session and the relay started. */
    OK("ok"),
    /** The client (or, logging in as the client, the backend) failed authentication: SQLSTATE class 28. */
    AUTH_FAILED("auth_failed"),
    /** Meridian refused it without a backend's say: unknown database, protocol violation, timeout. */
    REFUSED("refused"),
    /** Every candidate backend was unreachable, or one refused the login for a reason other than auth. */
    BACKEND_ERROR("backend_error");

    private static final String AUTH_CLASS = "28";

    private final String label;

    SessionOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * A refusal by its SQLSTATE: class 28 (invalid authorization specification: 28000 no such
     * user or no TLS, 28P01 bad password) is an authentication failure, as in PostgreSQL.
     */
    static SessionOutcome refusal(String sqlState) {
        return sqlState != null && sqlState.startsWith(AUTH_CLASS) ? AUTH_FAILED : REFUSED;
    }

    /** A backend's refusal: auth when the server says so (class 28), else a backend error. */
    static SessionOutcome backendFailure(String sqlState) {
        return sqlState != null && sqlState.startsWith(AUTH_CLASS) ? AUTH_FAILED : BACKEND_ERROR;
    }
}
