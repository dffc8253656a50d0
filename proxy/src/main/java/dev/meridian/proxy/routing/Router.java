package dev.meridian.proxy.routing;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.List;

/**
 * The routing decision, as a pure function of the configuration, the startup database and the
 * backends' health. Rule 1 of DESIGN.md: the first {@code databases} entry matching the name
 * wins; rule 2: the candidates are the backends in that entry's regions (all regions when it
 * names none), in configuration order; rule 5: only backends the health snapshot has up.
 */
public final class Router {
    private Router() {
    }

    public static RouteDecision route(MeridianConfig config, String database, HealthSnapshot health) {
        DatabaseRule rule = config.routeFor(database).orElseThrow(() -> new ProtocolException(
                SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" is not served by this proxy"));
        List<BackendConfig> candidates = config.backends().stream()
                .filter(b -> rule.regions().isEmpty() || rule.regions().contains(b.region()))
                .filter(b -> health.health(b.name()).up())
                .toList();
        if (candidates.isEmpty()) {
            throw noBackend(database, rule);
        }
        String backendDatabase = rule.backendDatabase() != null ? rule.backendDatabase() : database;
        return new RouteDecision(rule, backendDatabase, candidates);
    }

    /** Rule 5: nothing inside the residency boundary can take the session. */
    public static ProtocolException noBackend(String database, DatabaseRule rule) {
        String regions = rule.regions().isEmpty() ? "any region" : "regions " + String.join(", ", rule.regions());
        return new ProtocolException(SqlState.CANNOT_CONNECT_NOW,
                "no backend available for database \"" + database + "\" in " + regions);
    }
}
