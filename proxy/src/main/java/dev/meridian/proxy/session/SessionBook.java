package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.ops.RouteLog;
import dev.meridian.proxy.ops.SessionTally;
import dev.meridian.proxy.routing.RouteDecision;
import dev.meridian.proxy.routing.RouteReason;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Keeps the operator's books on one session as it opens: listed as waiting in the registry
 * (SHOW CLIENTS) until a backend takes it, then active with a stats tally (SHOW STATS), and its
 * route decision in the status page's log. Called on the client's event loop.
 */
final class SessionBook {
    private final ProxyContext proxy;
    private final ClientStartup request;
    private final Channel client;
    private final long waitStart = System.nanoTime();
    private final Instant waitingSince = Instant.now();

    SessionBook(ProxyContext proxy, ClientStartup request, Channel client) {
        this.proxy = proxy;
        this.request = request;
        this.client = client;
    }

    /**
     * The session waits for its backend (PAUSE, pool slot, login); it leaves the books when it
     * closes. A transaction-pooled one is counted in its transaction pool's row, not here.
     */
    void waiting(String poolUser, boolean transactionPooled) {
        BackendConfig first = request.route().candidates().get(0);
        proxy.sessions().add(new SessionRegistry.Entry(request.sessionId(), request.user(), request.database(),
                poolUser, request.route().backendDatabase(), first.name(), first.region(), ClientAddresses.of(client),
                waitingSince, SessionRegistry.State.WAITING, waitStart, client, null,
                transactionPooled ? () -> "" : null));
        client.closeFuture().addListener(f -> proxy.sessions().remove(request.sessionId()));
    }

    /** A backend took the session: returns its tally, to be passed to {@link #ended}. */
    SessionTally active(PooledConnection lease, String poolUser, RouteReason reason) {
        SessionTally tally = proxy.ops().stats().started(request.database(), System.nanoTime() - waitStart);
        BackendConfig b = lease.backend();
        proxy.sessions().add(new SessionRegistry.Entry(request.sessionId(), request.user(), request.database(),
                poolUser, request.route().backendDatabase(), b.name(), b.region(), ClientAddresses.of(client),
                Instant.now(), SessionRegistry.State.ACTIVE, waitStart, client, tally, null));
        routed(request.route(), b, reason.label());
        return tally;
    }

    /** The session is transaction-pooled: SHOW CLIENTS shows its pins, SHOW POOLS counts it in its transaction pool. */
    void transactionPooled(Supplier<String> pins) {
        proxy.sessions().update(request.sessionId(), e -> e.withPins(pins));
    }

    void ended(SessionTally tally) {
        proxy.ops().stats().ended(request.database(), tally);
        proxy.sessions().remove(request.sessionId());
    }

    /** No backend took the session ({@code why}: e.g. {@code no backend}). */
    void unserved(String why) {
        routed(request.route(), null, why);
    }

    private void routed(RouteDecision route, BackendConfig backend, String reason) {
        logRoute(proxy, route, backend, reason);
    }

    /** Adds one decision to the status page's log. */
    static void logRoute(ProxyContext proxy, RouteDecision route, BackendConfig backend, String reason) {
        proxy.ops().routes().add(new RouteLog.Event(Instant.now(), route.database(), route.clientRegion(),
                backend == null ? null : backend.name(), backend == null ? null : backend.region(), reason));
    }
}
