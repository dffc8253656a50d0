package dev.meridian.proxy.routing;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.List;
import java.util.Objects;

/**
 * The routing decision (DESIGN.md "Routing"), for the proxy and for {@code meridian route}
 * alike: one code path, so that the command explains exactly what the proxy does. A Router is
 * built once per configuration (it holds the opened geo database) and is safe to share between
 * threads.
 *
 * <pre>
 * database ──rule 1──▶ DatabaseRule ──rule 2──▶ backends in its regions
 * client address ──rule 4──▶ ClientLocation (networks → mmdb → instance region; or pinned)
 * options ──rule 3──▶ SessionTarget
 * health snapshot + all of the above ──Ranker──▶ RouteDecision (ranked, excluded, reason)
 * </pre>
 */
public final class Router {
    private final MeridianConfig config;
    private final GeoLocator geo;

    public Router(MeridianConfig config, GeoLocator geo) {
        this.config = Objects.requireNonNull(config, "config");
        this.geo = Objects.requireNonNull(geo, "geo");
    }

    /** A router for {@code config}, opening its geo database; ConfigException if that fails. */
    public static Router open(MeridianConfig config) {
        return new Router(config, GeoLocator.open(config));
    }

    public MeridianConfig config() {
        return config;
    }

    /**
     * The full decision, even when no backend may take the session: then {@code ranked()} is
     * empty, the excluded rows say why, and the caller refuses with {@link #noBackend} (57P03).
     *
     * @throws ProtocolException 3D000 when no rule serves the database, 22023 for an unknown
     *                           {@code meridian.region}
     */
    public RouteDecision route(RouteRequest request, HealthSnapshot health) {
        String database = request.database();
        DatabaseRule rule = config.routeFor(database).orElseThrow(() -> new ProtocolException(
                SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" is not served by this proxy"));
        ClientLocation location = locate(request);
        SessionTarget target = request.target() != null ? request.target() : SessionTarget.of(rule.target());
        var inputs = new Ranker.Inputs(rule, location, target, config.region(), config.regions(), health);
        Ranker.Ranking ranking = Ranker.rank(config.backends(), inputs);
        return new RouteDecision(database, rule, rule.backendDatabaseFor(database), target,
                request.client(), location, ranking.ranked(), ranking.excluded(), ranking.reason());
    }

    /**
     * The replicas that may serve a read-only transaction of a session routed by {@code decision}
     * ({@code target: auto}): inside the rule's regions, up, ranked as for a read-only session
     * from the same client location. Residency is never crossed: the same ranking excludes them.
     */
    public List<Candidate> replicas(RouteDecision decision, HealthSnapshot health) {
        var inputs = new Ranker.Inputs(decision.rule(), decision.location(), SessionTarget.READ_ONLY, config.region(),
                config.regions(), health);
        return Ranker.rank(config.backends(), inputs).ranked().stream().filter(c -> c.health().isReplica()).toList();
    }

    private ClientLocation locate(RouteRequest request) {
        String pin = request.pinnedRegion();
        if (pin == null) {
            return geo.locate(request.client());
        }
        if (!geo.knows(pin)) {
            throw new ProtocolException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter"
                    + " \"meridian.region\": unknown region \"" + pin + "\"");
        }
        return geo.pinned(pin);
    }

    /** Rule 5: nothing inside the residency boundary can take the session. */
    public static ProtocolException noBackend(String database, DatabaseRule rule) {
        return new ProtocolException(SqlState.CANNOT_CONNECT_NOW,
                "no backend available for database \"" + database + "\" in " + regionsOf(rule));
    }

    /**
     * Rule 5 for a decision: when a read-write session found only replicas, says that it needs a
     * primary and that a read-only session would be served, so the operator knows what is down
     * and the user knows the way around it.
     */
    public static ProtocolException noBackend(RouteDecision decision) {
        List<Candidate> replicas = decision.excluded().stream()
                .filter(c -> c.health().isReplica() && allowed(decision.rule(), c.region())).toList();
        if (!decision.target().needsPrimary() || replicas.isEmpty()) {
            return noBackend(decision.database(), decision.rule());
        }
        boolean replicaUp = replicas.stream().anyMatch(c -> c.health().up());
        return new ProtocolException(SqlState.CANNOT_CONNECT_NOW, "no primary available for database \""
                + decision.database() + "\" in " + regionsOf(decision.rule()) + ": a read-write session needs"
                + " a primary; a read-only session (options=-c meridian.target=read-only) would be served by a"
                + (replicaUp ? " replica, which is up" : " replica when one is up"));
    }

    private static boolean allowed(DatabaseRule rule, String region) {
        return rule.regions().isEmpty() || rule.regions().contains(region);
    }

    private static String regionsOf(DatabaseRule rule) {
        return rule.regions().isEmpty() ? "any region" : "regions " + String.join(", ", rule.regions());
    }
}
