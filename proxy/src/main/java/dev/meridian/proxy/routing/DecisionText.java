package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.DatabaseRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link RouteDecision} as text: a table for {@code meridian route}, one line for the proxy's
 * debug log. Both say the same things, so a log line can be checked against the command.
 */
public final class DecisionText {
    private static final List<String> HEADER = List.of("#", "BACKEND", "REGION", "ROLE", "UP", "DISTANCE", "RTT", "NOTE");
    /** DISTANCE and RTT: numbers read best right-aligned. */
    private static final Set<Integer> RIGHT_ALIGNED = Set.of(5, 6);

    private DecisionText() {
    }

    private static String targetText(SessionTarget t) {
        return switch (t) {
            case READ_ONLY -> ": replicas first, then primaries";
            case READ_WRITE -> ": primaries only";
            case AUTO -> ": the session opens on a primary; in transaction mode each read-only transaction goes to"
                    + " the nearest replica in the database's regions that is within health.max_replica_lag and has"
                    + " replayed the client's own writes, the rest to the primary (docs/read-routing.md)";
        };
    }

    /**
     * The multi-line explanation printed by {@code meridian route}; {@code health} says where the
     * health column comes from (offline, the command cannot know).
     */
    public static String table(RouteDecision d, String health) {
        StringBuilder out = new StringBuilder();
        out.append("database  ").append(d.database()).append(" (").append(rule(d.rule())).append(")")
                .append(" -> backend database \"").append(d.backendDatabase()).append("\"\n");
        out.append("client    ").append(d.client() == null ? "no address" : d.client().toString()).append('\n');
        out.append("location  ").append(d.location().region()).append(" via ").append(d.location().source().label())
                .append(": ").append(d.location().detail()).append('\n');
        out.append("target    ").append(d.target().label()).append(targetText(d.target())).append('\n');
        out.append("health    ").append(health).append('\n');
        out.append('\n').append(rows(d)).append('\n');
        if (d.ranked().isEmpty()) {
            out.append("chosen    none\n");
        } else {
            Candidate c = d.ranked().get(0);
            out.append("chosen    ").append(c.backend().name()).append(" (").append(c.region()).append("), reason: ")
                    .append(d.reason().label()).append(" - ").append(why(d.reason(), d.target(), c)).append('\n');
        }
        return out.toString();
    }

    /** One log line; {@code used} is the index of the candidate the session went to, or -1. */
    public static String oneLine(RouteDecision d, int used) {
        String chosen = used < 0 ? "none" : d.ranked().get(used).backend().name() + " reason=" + d.reasonAt(used).label();
        return "route database=" + d.database() + " rule=\"" + d.rule().pattern() + "\" client="
                + (d.client() == null ? "none" : d.client()) + " location=" + d.location() + " target="
                + d.target().label() + " candidates=" + d.ranked().stream().map(DecisionText::brief)
                .collect(Collectors.joining(", ", "[", "]")) + " excluded=" + d.excluded().stream()
                .map(c -> c.backend().name() + ": " + c.excluded()).collect(Collectors.joining(", ", "[", "]"))
                + " chosen=" + chosen;
    }

    static String why(RouteReason reason, SessionTarget target, Candidate chosen) {
        return switch (reason) {
            case GEO -> target == SessionTarget.READ_ONLY && chosen.health().isReplica()
                    ? "nearest replica to the client (read-only: replicas first)" : "nearest candidate to the client";
            case DATABASE -> "the database rule's regions or prefer decided";
            case LOCAL -> "prefer: local ranks this instance's region first";
            case PINNED -> "the client pinned its region with meridian.region";
            case FAILOVER -> "a better-ranked backend is down or unreachable";
        };
    }

    private static String rule(DatabaseRule r) {
        return "rule \"" + r.pattern() + "\": regions " + (r.regions().isEmpty() ? "any" : String.join(", ", r.regions()))
                + ", prefer " + r.prefer();
    }

    private static String brief(Candidate c) {
        return c.backend().name() + " " + c.region() + " " + Distances.km(c.distanceKm()) + " rtt=" + rtt(c.health().rtt());
    }

    private static String rows(RouteDecision d) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (int i = 0; i < d.ranked().size(); i++) {
            rows.add(row(Integer.toString(i + 1), d.ranked().get(i)));
        }
        d.excluded().forEach(c -> rows.add(row("-", c)));
        return align(rows);
    }

    private static List<String> row(String rank, Candidate c) {
        BackendHealth h = c.health();
        return List.of(rank, c.backend().name(), c.region(), h.role().name().toLowerCase(Locale.ROOT),
                h.up() ? "yes" : "no", Distances.km(c.distanceKm()), rtt(h.rtt()), c.excluded() == null ? "" : c.excluded());
    }

    private static String rtt(Duration rtt) {
        return rtt == null ? "-" : String.format(Locale.ROOT, "%.1f ms", rtt.toNanos() / 1e6);
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    private static String align(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        rows.forEach(r -> {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = r.get(i);
                if (i == columns - 1) {
                    line.append(cell);
                } else {
                    String pad = " ".repeat(width[i] - cell.length());
                    line.append(RIGHT_ALIGNED.contains(i) ? pad + cell : cell + pad).append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
