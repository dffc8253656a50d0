package dev.meridian.proxy.session;

import dev.meridian.proxy.config.AuthConfig;
import dev.meridian.proxy.config.AuthMethod;

/**
 * What {@code auth.method: trust} admits. With a users file or an auth query configured, only
 * the users found there (as PgBouncer's trust does), without a password; an unlisted name is
 * refused like a wrong password (28P01). With neither, any user name is admitted: then the
 * backends decide, so they must not log in as a privileged user of their own.
 */
public final class TrustPolicy {
    private TrustPolicy() {
    }

    /** Whether trust checks the user name against the configured users. */
    public static boolean listedUsersOnly(AuthConfig auth) {
        return auth.usersFile() != null || auth.authQuery() != null;
    }

    /** One line for {@code meridian check}: which authentication applies. */
    public static String describe(AuthConfig auth) {
        if (auth.method() != AuthMethod.TRUST) {
            return "auth: " + auth.method().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + ": every client proves its password";
        }
        return listedUsersOnly(auth)
                ? "auth: trust: only users listed in " + sources(auth) + " are admitted, without a password"
                : "auth: trust: ANY user name is admitted without a password (no users_file or auth_query)";
    }

    private static String sources(AuthConfig auth) {
        if (auth.usersFile() != null && auth.authQuery() != null) {
            return "auth.users_file or found by auth.auth_query";
        }
        return auth.usersFile() != null ? "auth.users_file" : "auth.auth_query's results";
    }
}
