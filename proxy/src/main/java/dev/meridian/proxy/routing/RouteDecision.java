package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import java.util.List;

/**
 * Where a session goes: the matching rule, the database name to ask the backend for, and the
 * candidate backends in the order they are to be tried (never outside the rule's regions).
 */
public record RouteDecision(DatabaseRule rule, String backendDatabase, List<BackendConfig> candidates) {
    public RouteDecision {
        candidates = List.copyOf(candidates);
    }
}
