package dev.meridian.proxy.edge;

import dev.meridian.proxy.readrouting.Lsn;
import dev.meridian.proxy.readrouting.ReadChoice;
import dev.meridian.proxy.readrouting.ReadChoice.Decision;
import dev.meridian.proxy.readrouting.ReadOnlyCheck;
import dev.meridian.proxy.readrouting.WalPositions;
import dev.meridian.proxy.routing.Candidate;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.session.ProxyContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read routing of one {@code POST /sql} request of a {@code target: auto} database
 * (docs/read-routing.md, "Over HTTP"): a read-only request ({@code Neon-Batch-Read-Only: true},
 * or every statement proven read-only by {@link ReadOnlyCheck}) goes to the first replica that
 * {@link ReadChoice} accepts, honouring the floor the client sent back in {@code Meridian-Lsn};
 * anything else goes to the primary and learns the primary's position after it, in the same
 * round trip ({@link SqlPlan#LSN}). A read whose floor no replica has been seen replaying waits
 * up to {@code health.causal_wait} on the best replica within the lag allowance, as a TCP unit does,
 * when that replica's lag is within the wait ({@link ReplayWait}); else it goes to the primary.
 */
final class EdgeReads {
    static final String HEADER = "Meridian-Lsn";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeReads.class);

    /**
     * @param route    the route to run on: a chosen replica first, then the primary's candidates
     * @param floor    the read-your-writes floor honoured, or -1
     * @param learn    the request may write: append {@link SqlPlan#LSN} and return the position
     * @param primary  non-null when {@code route} is a replica to wait on for the floor (causal
     *                 wait): the route to run on when the wait is over; {@link #waited} counts the outcome
     */
    record Plan(RouteDecision route, Decision decision, long floor, boolean learn, RouteDecision primary) {
        boolean waits() {
            return primary != null;
        }
    }

    private EdgeReads() {
    }

    /** The {@code Meridian-Lsn} header's position, -1 when absent; 400 with 22P02 when it is not {@code X/Y}. */
    static long floor(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        Long lsn = Lsn.parseOrNull(header.trim());
        if (lsn == null) {
            throw new EdgeException(HttpResponseStatus.BAD_REQUEST, "22P02",
                    "invalid " + HEADER + " header: \"" + header + "\" is not a WAL position (X/Y)");
        }
        return lsn;
    }

    /** Whether the request cannot write: a read-only batch, or only statements proven to be reads. */
    static boolean readOnly(SqlRequest request) {
        if (request.batch() && Boolean.TRUE.equals(request.mode().readOnly())) {
            return true;
        }
        return !request.statements().isEmpty()
                && request.statements().stream().allMatch(s -> ReadOnlyCheck.reads(s.query()));
    }

    /** Where the request of a {@code target: auto} database goes; counted in meridian_read_routing_total. */
    static Plan plan(ProxyContext proxy, RouteDecision route, SqlRequest request, long floor) {
        boolean readOnly = readOnly(request);
        List<Candidate> replicas = readOnly ? proxy.router().replicas(route, proxy.health()) : List.of();
        List<ReadChoice.Replica> known = known(proxy, replicas);
        double maxLag = proxy.config().health().maxReplicaLag().toNanos() / 1e9;
        ReadChoice.Result r = ReadChoice.choose(readOnly, known, maxLag, floor);
        double wait = proxy.config().health().causalWait().toNanos() / 1e9;
        // Worth asking the replica only when it is close enough to catch up within the wait (as TCP),
        // and only with a primary to go to when the wait is over.
        boolean waits = ReadChoice.worthWaitingFor(r, wait) != null && !route.ranked().isEmpty();
        ReadChoice.Replica first = waits ? r.behind() : r.replica();
        RouteDecision target = first == null ? route : replicaFirst(route, replicas.get(known.indexOf(first)));
        if (target.ranked().isEmpty()) {
            return new Plan(target, r.decision(), floor, !readOnly, null); // no backend: refused by the caller
        }
        String backend = target.ranked().get(0).backend().name();
        if (waits) {
            LOG.debug("edge request: read-only -> {} (waiting up to health.causal_wait for it to replay floor {})",
                    backend, Lsn.format(floor));
        } else {
            proxy.readRoutingMeters().routed(target.ranked().get(0).backend().region(), r.decision().label());
            LOG.debug("edge request: {} -> {} ({}; floor {})", readOnly ? "read-only" : "read-write", backend,
                    r.decision().label(), floor < 0 ? "none" : Lsn.format(floor));
        }
        return new Plan(target, waits ? Decision.REPLICA : r.decision(), floor, !readOnly, waits ? route : null);
    }

    /**
     * The outcome of a causal wait on {@code replica}: it replayed the floor in time (the request
     * runs there, {@code replica}), or not (the primary, {@code primary_causal}).
     */
    static void waited(ProxyContext proxy, Plan plan, boolean passed) {
        var replica = plan.route().ranked().get(0).backend();
        String region = (passed ? replica : plan.primary().ranked().get(0).backend()).region();
        Decision decision = passed ? Decision.REPLICA : Decision.PRIMARY_CAUSAL;
        proxy.readRoutingMeters().routed(region, decision.label());
        LOG.debug("edge request: {} {} floor {} within health.causal_wait ({})", replica.name(),
                passed ? "replayed" : "did not replay", Lsn.format(plan.floor()), decision.label());
    }

    /**
     * Whether a request was a read a replica refused as a write (25006), to run again on the
     * primary: the read-only class was Meridian's (not the client's read-only batch) and the
     * replica chosen for it, not the primary, answered so.
     */
    static boolean refusedRead(Plan plan, SqlRequest request, String refusedBy) {
        return plan != null && refusedBy != null && plan.decision() == Decision.REPLICA && !plan.learn()
                && !(request.batch() && Boolean.TRUE.equals(request.mode().readOnly()))
                && refusedBy.equals(plan.route().ranked().get(0).backend().name());
    }

    /** The refused read's plan on the primary ({@code route}): it wrote, so its position is learned after it. */
    static Plan fellBack(ProxyContext proxy, Plan refused, RouteDecision route) {
        proxy.readRoutingMeters().routed(route.ranked().get(0).backend().region(), Decision.PRIMARY_FALLBACK.label());
        LOG.debug("edge request: replica {} refused it as a write (25006); re-running it on the primary",
                refused.route().ranked().get(0).backend().name());
        return new Plan(route, Decision.PRIMARY_FALLBACK, refused.floor(), true, null);
    }

    /** {@code route} with {@code replica} ranked first, then the route's own candidates (the primary's). */
    private static RouteDecision replicaFirst(RouteDecision route, Candidate replica) {
        List<Candidate> ranked = new ArrayList<>();
        ranked.add(replica);
        route.ranked().stream().filter(c -> !c.backend().name().equals(replica.backend().name()))
                .forEach(ranked::add);
        return new RouteDecision(route.database(), route.rule(), route.backendDatabase(), route.target(),
                route.client(), route.location(), ranked, route.excluded(), route.reason());
    }

    private static List<ReadChoice.Replica> known(ProxyContext proxy, List<Candidate> candidates) {
        WalPositions positions = proxy.healthMonitor().positions();
        List<ReadChoice.Replica> out = new ArrayList<>();
        for (Candidate c : candidates) {
            String name = c.backend().name();
            WalPositions.Position p = positions.of(name);
            out.add(new ReadChoice.Replica(name, p.replica() ? p.lsn() : -1, p.replica() ? p.lag() : Double.NaN));
        }
        return out;
    }
}
