package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import java.util.List;
import java.util.Objects;

/**
 * Where a session goes and why: the matching rule, the database to ask the backend for, the
 * client's location, the candidates in the order they are to be tried (never outside the
 * rule's regions) and every other backend with the reason it was left out.
 *
 * @param client   the address the client was located by, or null
 * @param ranked   candidates, best first; empty when nothing may take the session
 * @param excluded the other backends, in configuration order
 * @param reason   why the first candidate leads (metric label); null when there is none
 */
public record RouteDecision(
        String database,
        DatabaseRule rule,
        String backendDatabase,
        SessionTarget target,
        ClientAddress client,
        ClientLocation location,
        List<Candidate> ranked,
        List<Candidate> excluded,
        RouteReason reason) {

    public RouteDecision {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(backendDatabase, "backendDatabase");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(location, "location");
        ranked = List.copyOf(ranked);
        excluded = List.copyOf(excluded);
        if (ranked.isEmpty() != (reason == null)) {
            throw new IllegalArgumentException("a reason exactly when there is a candidate");
        }
    }

    /** The backends to try, in order. */
    public List<BackendConfig> candidates() {
        return ranked.stream().map(Candidate::backend).toList();
    }

    /** The metric reason when the session ends up on {@code ranked().get(index)}: past the first, a failover. */
    public RouteReason reasonAt(int index) {
        Objects.checkIndex(index, ranked.size());
        return index == 0 ? reason : RouteReason.FAILOVER;
    }

    /** The {@code client_region} metric label. */
    public String clientRegion() {
        return location.region();
    }
}
