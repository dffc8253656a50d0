package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Client authentication. {@code usersFile} (PgBouncer {@code userlist.txt} format) and
 * {@code authQuery} (run on a backend, {@code $1} = user name) are null when not configured; the
 * loader guarantees at least one of them unless the method is {@code TRUST}. {@code failureBackoff}
 * slows down repeated failed logins from one client address; {@code authQueryLimits} bound what
 * auth_query lookups may cost a backend.
 */
public record AuthConfig(Path usersFile, String authQuery, AuthMethod method, FailureBackoff failureBackoff,
                         AuthQueryLimits authQueryLimits) {

    public AuthConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(failureBackoff, "failureBackoff");
        Objects.requireNonNull(authQueryLimits, "authQueryLimits");
    }

    /** With the default auth_query limits. */
    public AuthConfig(Path usersFile, String authQuery, AuthMethod method, FailureBackoff failureBackoff) {
        this(usersFile, authQuery, method, failureBackoff, AuthQueryLimits.DEFAULT);
    }

    /** With the default failure backoff. */
    public AuthConfig(Path usersFile, String authQuery, AuthMethod method) {
        this(usersFile, authQuery, method, FailureBackoff.DEFAULT);
    }
}
