package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.Optional;

/**
 * Whether one Meridian instance alone can fill a backend: {@code pool.max_per_backend} plus its
 * health check plus {@code auth.auth_query_connections} (when auth_query is on) against the
 * server's {@code max_connections} minus {@code superuser_reserved_connections} (as read by the
 * health check; a superuser could use the reserved ones too, but pools should not count on
 * them). Pure: the health monitor logs the answer when it changes and {@code /routes} shows it.
 */
public final class ConnectionBudget {
    private ConnectionBudget() {
    }

    public static Optional<String> warning(BackendConfig backend, ServerFacts facts, MeridianConfig config) {
        if (facts == null || facts.maxConnections() == null) {
            return Optional.empty();
        }
        int reserved = facts.superuserReservedConnections() == null ? 0 : facts.superuserReservedConnections();
        int allowed = facts.maxConnections() - reserved;
        int pool = config.pool().maxPerBackend();
        int authQuery = config.auth().authQuery() == null ? 0 : config.auth().authQueryLimits().connections();
        int need = pool + 1 + authQuery;
        if (need <= allowed) {
            return Optional.empty();
        }
        return Optional.of("pool.max_per_backend (" + pool + ") + 1 health check"
                + (authQuery == 0 ? "" : " + auth.auth_query_connections (" + authQuery + ")") + " = " + need
                + " can exceed what backend " + backend.name() + " allows (max_connections " + facts.maxConnections()
                + " - superuser_reserved_connections " + reserved + " = " + allowed
                + "); lower pool.max_per_backend or raise max_connections");
    }
}
