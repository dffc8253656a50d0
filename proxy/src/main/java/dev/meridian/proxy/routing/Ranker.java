package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.Coordinates;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.Preference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Orders backends for one session (DESIGN.md routing rules 2 to 4), a pure function of its
 * inputs. Backends outside the rule's regions, of the wrong role, or down are excluded, with the
 * reason kept for the explanation. The rest are sorted by, in turn:
 * <ol>
 *   <li>role tier: read-only sessions take replicas before primaries (libpq's prefer-standby);</li>
 *   <li>the rule's {@code prefer}: {@code local} or {@code <region>} first (a pinned client
 *       overrides it: the pin already is the location);</li>
 *   <li>great-circle distance from the client's location;</li>
 *   <li>measured health-check RTT, unmeasured last;</li>
 *   <li>configuration order (the sort is stable).</li>
 * </ol>
 */
final class Ranker {
    /** What the ranking depends on besides the backends. */
    record Inputs(DatabaseRule rule, ClientLocation location, SessionTarget target, String instanceRegion,
                  Map<String, Coordinates> regions, HealthSnapshot health) {
    }

    /** Candidates best first, the excluded in configuration order, and the metric reason. */
    record Ranking(List<Candidate> ranked, List<Candidate> excluded, RouteReason reason) {
    }

    /** The exclusion of an allowed backend of the right role that is down: it makes a failover. */
    static final String DOWN = "down";

    private Ranker() {
    }

    static Ranking rank(List<BackendConfig> backends, Inputs in) {
        List<Candidate> ranked = new ArrayList<>();
        List<Candidate> excluded = new ArrayList<>();
        List<Candidate> down = new ArrayList<>();
        for (BackendConfig b : backends) {
            Candidate c = assess(b, in);
            (c.eligible() ? ranked : excluded).add(c);
            if (DOWN.equals(c.excluded())) {
                down.add(c);
            }
        }
        Comparator<Candidate> order = order(in);
        ranked.sort(order);
        RouteReason reason = ranked.isEmpty() ? null : reason(ranked.get(0), down, order, in);
        return new Ranking(ranked, excluded, reason);
    }

    private static Candidate assess(BackendConfig b, Inputs in) {
        BackendHealth health = in.health().health(b.name());
        double km = in.location().coordinates().distanceKm(in.regions().get(b.region()));
        String why = null;
        if (!allowed(in.rule(), b.region())) {
            why = "outside the database's regions (" + String.join(", ", in.rule().regions()) + ")";
        } else if (in.target().needsPrimary() && !health.servesReadWrite()) {
            why = "replica: read-write sessions need a primary";
        } else if (!health.up()) {
            why = DOWN;
        }
        return new Candidate(b, km, health, why);
    }

    private static boolean allowed(DatabaseRule rule, String region) {
        return rule.regions().isEmpty() || rule.regions().contains(region);
    }

    private static Comparator<Candidate> order(Inputs in) {
        return Comparator.comparingInt((Candidate c) -> roleTier(c, in.target()))
                .thenComparingInt(c -> preferenceTier(c, in))
                .thenComparingDouble(Candidate::distanceKm)
                .thenComparing(c -> c.health().rtt(), Comparator.nullsLast(Comparator.<Duration>naturalOrder()));
    }

    /** A backend whose role is not known yet (AUTO) ranks with the primaries: it may well be one. */
    private static int roleTier(Candidate c, SessionTarget target) {
        return target == SessionTarget.READ_ONLY && !c.health().isReplica() ? 1 : 0;
    }

    private static int preferenceTier(Candidate c, Inputs in) {
        if (in.location().source() == ClientLocation.Source.PINNED) {
            return 0;
        }
        Preference p = in.rule().prefer();
        return switch (p.kind()) {
            case NEAREST -> 0;
            case LOCAL -> c.region().equals(in.instanceRegion()) ? 0 : 1;
            case REGION -> c.region().equals(p.region()) ? 0 : 1;
        };
    }

    /** Why {@code chosen} came first; a better backend that is down makes it a failover. */
    private static RouteReason reason(Candidate chosen, List<Candidate> down, Comparator<Candidate> order, Inputs in) {
        if (down.stream().anyMatch(d -> order.compare(d, chosen) < 0)) {
            return RouteReason.FAILOVER;
        }
        DatabaseRule rule = in.rule();
        if (in.location().source() == ClientLocation.Source.PINNED) {
            return allowed(rule, in.location().region()) ? RouteReason.PINNED : RouteReason.DATABASE;
        }
        Preference p = rule.prefer();
        if (p.kind() == Preference.Kind.LOCAL && chosen.region().equals(in.instanceRegion())) {
            return RouteReason.LOCAL;
        }
        if (p.kind() == Preference.Kind.REGION && chosen.region().equals(p.region()) || rule.regions().size() == 1) {
            return RouteReason.DATABASE;
        }
        return RouteReason.GEO;
    }
}
