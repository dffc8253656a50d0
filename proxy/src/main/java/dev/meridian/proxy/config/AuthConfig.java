package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Client authentication. {@code usersFile} (PgBouncer {@code userlist.txt} format) and
 * {@code authQuery} (run on a backend, {@code $1} = user name) are null when not configured; the
 * loader guarantees at least one of them unless the method is {@code TRUST}. {@code failureBackoff}
 * slows down repeated failed logins from one client address.
 */
public record AuthConfig(Path usersFile, String authQuery, AuthMethod method, FailureBackoff failureBackoff) {

    public AuthConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(failureBackoff, "failureBackoff");
    }

    /** With the default failure backoff. */
    public AuthConfig(Path usersFile, String authQuery, AuthMethod method) {
        this(usersFile, authQuery, method, FailureBackoff.DEFAULT);
    }
}
