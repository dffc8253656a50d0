package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each backend's configured login user is a superuser ({@code rolsuper}, as the
 * {@code is_superuser} ParameterStatus of the health probe's login reports it). A backend with a {@code user:} of its own logs every client in as that
 * user, so a superuser there makes every client a superuser: warned once in the log, shown in
 * {@code SHOW BACKENDS} and {@code /routes}. Backends without a user (clients log in as
 * themselves) are not judged: the probe's stand-in login says nothing about the clients.
 */
public final class SuperuserLogins {
    private static final Logger LOG = LoggerFactory.getLogger(SuperuserLogins.class);

    private final Map<String, Boolean> byBackend = new ConcurrentHashMap<>();

    /** A probe of {@code backend} found {@code superuser} (null: unknown, ignored). */
    void observe(BackendConfig backend, Boolean superuser) {
        if (superuser == null || backend.user() == null) {
            return;
        }
        Boolean before = byBackend.put(backend.name(), superuser);
        if (superuser && !Boolean.TRUE.equals(before)) {
            LOG.warn("backend {}: its configured user \"{}\" is a superuser, and every client logs in as it:"
                    + " configure an unprivileged role, or omit user/password so that clients log in as themselves",
                    backend.name(), backend.user());
        }
    }

    /** "yes", "no", or "" while not known (or the backend has no user of its own). */
    public String describe(String backend) {
        Boolean superuser = byBackend.get(backend);
        return superuser == null ? "" : superuser ? "yes" : "no";
    }

    /** Whether the last probe found the backend's configured user to be a superuser. */
    public boolean isSuperuser(String backend) {
        return Boolean.TRUE.equals(byBackend.get(backend));
    }
}
