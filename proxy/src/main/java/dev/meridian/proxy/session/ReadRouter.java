package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.ResultSets;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.backend.pool.SharedPool;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.readrouting.Lsn;
import dev.meridian.proxy.readrouting.MinLsnSetting;
import dev.meridian.proxy.readrouting.ReadChoice;
import dev.meridian.proxy.readrouting.ReadChoice.Decision;
import dev.meridian.proxy.readrouting.UnitClassifier;
import dev.meridian.proxy.readrouting.WalPositions;
import dev.meridian.proxy.routing.Candidate;
import dev.meridian.proxy.routing.RouteDecision;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each unit of a transaction-pooled {@code target: auto} session (docs/read-routing.md):
 * classifies the unit's queued messages, then picks the primary's pool or a replica's
 * ({@link ReadChoice}), and keeps the client's read-your-writes floor: the primary's WAL position
 * after the client's last write unit, or what the client set with {@code meridian.min_lsn}.
 * Lives on the client's event loop.
 */
final class ReadRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRouter.class);

    /**
     * Where a unit goes: the pool, why, and the backend (the primary's when not a replica). With
     * {@code awaitFloor} >= 0 the replica has not been seen replaying the client's floor yet: ask
     * it (until {@code health.causal_wait} is over) before sending the unit, else the primary.
     */
    record Choice(SharedPool pool, Decision decision, BackendConfig backend, long awaitFloor) {
        Choice(SharedPool pool, Decision decision, BackendConfig backend) {
            this(pool, decision, backend, -1);
        }
    }

    private final ProxyContext proxy;
    private final long sessionId;
    private final RouteDecision route;
    private final Function<BackendConfig, StartupMessage> startup;
    private final Function<BackendConfig, BackendCredentials> credentials;
    private final SharedPool primary;
    private final UnitClassifier units = new UnitClassifier();
    private final boolean sharedStatements;
    private long floor;

    ReadRouter(ProxyContext proxy, long sessionId, RouteDecision route,
               Function<BackendConfig, StartupMessage> startup,
               Function<BackendConfig, BackendCredentials> credentials, SharedPool primary, long initialFloor) {
        this.proxy = proxy;
        this.sessionId = sessionId;
        this.route = route;
        this.startup = startup;
        this.credentials = credentials;
        this.primary = primary;
        this.floor = initialFloor;
        this.sharedStatements = proxy.config().pool().maxPreparedStatements() > 0;
    }

    SharedPool primary() {
        return primary;
    }

    /** A Parse on its way to a backend: its statement's class is remembered for later Binds. */
    void parsed(String name, String sql) {
        units.parsed(name, sql);
    }

    /**
     * Whether a frame sent on the attached connection outside a routed unit (riding behind a
     * write's position query) may write: then that position must be asked for again after it.
     */
    boolean mayWrite(Frame f) {
        return switch (f.type()) {
            case 'Q' -> units.writes(Texts.cstring(f.body(), 0));
            case 'B' -> units.bindWrites(Texts.cstring(f.body(), 1));
            case 'F' -> true;
            default -> false;
        };
    }

    /** The primary's position after a write unit of this client: later reads need it replayed. */
    void learned(String lsnText) {
        Long lsn = lsnText == null ? null : Lsn.parseOrNull(lsnText);
        if (lsn == null) {
            // No position: every later read would risk being stale, so they all go to the primary.
            LOG.warn("session {}: could not learn the primary's WAL position after a write; reads go to the primary",
                    sessionId);
            floor = Long.MAX_VALUE;
            return;
        }
        LOG.debug("session {}: wrote up to {}", sessionId, lsnText);
        floor = Math.max(floor, lsn);
    }

    long floor() {
        return floor;
    }

    /** Where the unit made of {@code queued} goes; counted in meridian_read_routing_total. */
    Choice choose(Collection<Frame> queued) {
        units.begin();
        boolean pins = false;
        for (Frame f : queued) {
            switch (f.type()) {
                case 'Q' -> {
                    String sql = Texts.cstring(f.body(), 0);
                    units.query(sql);
                    pins |= pins(sql);
                }
                case 'P' -> {
                    String name = Texts.cstring(f.body(), 0);
                    String sql = Texts.cstring(f.body(), 1);
                    units.parsed(name, sql);
                    // A named statement pins its connection unless statements are shared (pool.max_prepared_statements > 0):
                    // a pinned client must not sit on a replica.
                    pins |= !name.isEmpty() && !sharedStatements || pins(sql);
                }
                case 'B' -> units.bind(Texts.cstring(f.body(), 1));
                case 'F' -> units.functionCall();
                default -> { }
            }
        }
        byte last = queued.isEmpty() ? 0 : queued.stream().reduce((a, b) -> b).get().type();
        // A unit cut by Flush (or by its size) has no ReadyForQuery to wait for on a replica.
        boolean readOnly = units.readOnly() && !pins && (last == 'Q' || last == 'S');
        List<Candidate> candidates = readOnly ? proxy.router().replicas(route, proxy.health()) : List.of();
        List<ReadChoice.Replica> replicas = replicas(candidates);
        double maxLag = proxy.config().health().maxReplicaLag().toNanos() / 1e9;
        ReadChoice.Result r = ReadChoice.choose(readOnly, replicas, maxLag, floor);
        Choice choice = r.replica() == null ? new Choice(primary, r.decision(), primary.backend())
                : replicaChoice(candidates.get(replicas.indexOf(r.replica())).backend());
        double wait = proxy.config().health().causalWait().toNanos() / 1e9;
        ReadChoice.Replica behind = ReadChoice.worthWaitingFor(r, wait); // close enough to catch up within the wait
        if (behind != null) {
            BackendConfig b = candidates.get(replicas.indexOf(behind)).backend();
            choice = new Choice(proxy.transactionPools().of(b, startup.apply(b), credentials.apply(b)),
                    Decision.REPLICA, b, floor);
        } else {
            counted(choice.decision(), choice.backend());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: {} unit -> {} ({}; floor {}; replicas {})", sessionId,
                    readOnly ? "read-only" : "read-write", choice.backend().name(),
                    choice.awaitFloor() >= 0 ? "waiting up to health.causal_wait for it to replay the floor"
                            : choice.decision().label(),
                    floor < 0 ? "none" : floor == Long.MAX_VALUE ? "unknown" : Lsn.format(floor), replicas);
        }
        return choice;
    }

    /** Whether {@code sql} would pin the client to its connection (then it stays off the replicas). */
    private static boolean pins(String sql) {
        // A plain SET is not a pin here: it follows the client to any backend (settings replay).
        return dev.meridian.proxy.pooling.StatementEffects.of(sql).stream()
                .anyMatch(e -> !e.unpin() && e.reason() != dev.meridian.proxy.pooling.PinReason.SET);
    }

    /** A unit went to {@code backend} for {@code decision}: meridian_read_routing_total. */
    void counted(Decision decision, BackendConfig backend) {
        proxy.readRoutingMeters().routed(backend.region(), decision.label());
    }

    /** A replica answered a causal wait's question: it had replayed {@code lsnText}. */
    long replayed(BackendConfig replica, String lsnText) {
        Long lsn = lsnText == null ? null : Lsn.parseOrNull(lsnText);
        if (lsn == null) {
            return -1;
        }
        proxy.healthMonitor().positions().replayed(replica.name(), lsn);
        LOG.debug("session {}: {} has replayed {} (floor {})", sessionId, replica.name(), lsnText, Lsn.format(floor));
        return lsn;
    }

    /** The primary after a replica refused the unit as a write (25006): counted, logged. */
    Choice fellBack(BackendConfig replica) {
        LOG.debug("session {}: replica {} refused the unit as a write (25006); re-running it on the primary {}",
                sessionId, replica.name(), primary.backend().name());
        proxy.readRoutingMeters().routed(primary.backend().region(), Decision.PRIMARY_FALLBACK.label());
        return new Choice(primary, Decision.PRIMARY_FALLBACK, primary.backend());
    }

    private Choice replicaChoice(BackendConfig b) {
        SharedPool pool = proxy.transactionPools().of(b, startup.apply(b), credentials.apply(b));
        return new Choice(pool, Decision.REPLICA, b);
    }

    private List<ReadChoice.Replica> replicas(List<Candidate> candidates) {
        WalPositions positions = proxy.healthMonitor().positions();
        List<ReadChoice.Replica> out = new ArrayList<>();
        for (Candidate c : candidates) {
            String name = c.backend().name();
            proxy.readRoutingMeters().replica(name);
            WalPositions.Position p = positions.of(name);
            out.add(new ReadChoice.Replica(name, p.replica() ? p.lsn() : -1, p.replica() ? p.lag() : Double.NaN));
        }
        return out;
    }

    /**
     * Answers a unit that only says {@code SET meridian.min_lsn = 'X/Y'} itself, as PostgreSQL
     * would (simple Query, or Parse/Bind/Describe/Execute/Sync): CommandComplete SET, or 22023;
     * true when it did. Only between units, when the session holds no connection, so the answer
     * cannot overtake a backend's.
     */
    boolean answeredLocally(List<Frame> unit, Channel client) {
        MinLsnSetting.Parsed set = null;
        for (Frame f : unit) {
            String sql = switch (f.type()) {
                case 'Q' -> Texts.cstring(f.body(), 0);
                case 'P' -> Texts.cstring(f.body(), 1);
                case 'B', 'D', 'E', 'S' -> null;
                default -> "";
            };
            if (sql != null) {
                MinLsnSetting.Parsed p = set == null ? MinLsnSetting.of(sql) : null;
                if (p == null) {
                    return false;
                }
                set = p;
            }
        }
        if (set == null) {
            return false;
        }
        if (set.error() == null) {
            floor = Math.max(floor, set.lsn());
        }
        ByteBuf out = client.alloc().buffer();
        LocalAnswer.write(out, unit, set.error());
        client.writeAndFlush(out, client.voidPromise());
        return true;
    }
}
