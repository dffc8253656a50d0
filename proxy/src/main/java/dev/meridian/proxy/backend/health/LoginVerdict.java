package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.backend.BackendException;
import java.time.Duration;

/**
 * What a failed probe login says about a backend.
 *
 * <p>With credentials configured, the probe logs in exactly as sessions do, so any failure is
 * a failed check: a backend whose login fails cannot serve sessions either. Without
 * credentials (sessions log in as their client), the probe cannot log in and only checks that a
 * PostgreSQL server answers the startup packet: an authentication request or an error about
 * the user means it is alive, except the errors a server gives when it cannot take sessions
 * at all, SQLSTATE class 57 (operator intervention: starting up, shutting down, in recovery)
 * and class 53 (insufficient resources), except 53300 (too many connections): a full server is
 * busy, not down, and such a probe counts neither way.
 */
final class LoginVerdict {
    /** How a probe refused with 53300 (too many connections) is reported: alive, just full. */
    static final String BUSY = "busy, not down: the server has no free connection slot (53300): ";

    private LoginVerdict() {
    }

    /**
     * @param elapsed the time from the start of the probe to the failure; for a server that
     *                answered, TCP handshake plus startup answer: two round trips
     */
    static ProbeResult of(BackendException e, boolean credentialsConfigured, Duration elapsed) {
        if (e.unreachable()) {
            return ProbeResult.failed(e.getMessage());
        }
        String sqlState = e.serverError() == null ? null : e.serverError().sqlState();
        if ("53300".equals(sqlState)) {
            // Every slot is taken (by sessions, often through Meridian's own pool): the server is
            // alive and serving. Marking it down would turn "full" into "refuse everyone" (57P03).
            return ProbeResult.inconclusive(BUSY + e.serverError().message());
        }
        if (sqlState != null && (sqlState.startsWith("57") || sqlState.startsWith("53"))) {
            return ProbeResult.failed("server refuses sessions: " + e.serverError());
        }
        if (credentialsConfigured) {
            return ProbeResult.failed("health check login failed: " + e.getMessage());
        }
        return ProbeResult.passed(null, elapsed.dividedBy(2));
    }
}
