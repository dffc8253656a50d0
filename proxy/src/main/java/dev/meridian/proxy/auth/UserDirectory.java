package dev.meridian.proxy.auth;

import java.util.Optional;

/** Where client credentials come from (a users file, later an auth query). */
@FunctionalInterface
public interface UserDirectory {
    /** The user's secret, or empty when there is no such user. Must not block for long. */
    Optional<UserSecret> lookup(String user);

    UserDirectory NONE = user -> Optional.empty();
}
