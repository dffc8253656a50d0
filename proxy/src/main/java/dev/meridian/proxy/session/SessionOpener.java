package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.backend.BackendException;
import dev.meridian.proxy.backend.pool.PoolExhaustedException;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.backend.pool.SharedPool;
import dev.meridian.proxy.pooling.PoolModeChoice;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.routing.DecisionText;
import dev.meridian.proxy.metrics.SessionMeters;
import dev.meridian.proxy.ops.SessionTally;
import dev.meridian.proxy.routing.Router;
import dev.meridian.proxy.routing.SessionTarget;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend side of an authenticated session: tries the route's candidates in order
 * (an unreachable backend passes the session to the next one, inside the residency boundary,
 * unseen by the client), greets the client with the backend's parameters and a cancel key of
 * Meridian's own, then starts the relay.
 */
final class SessionOpener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionOpener.class);

    private final ProxyContext proxy;
    private final MeridianConfig config;
    private final Channel client;
    private final ClientStartup request;
    private final BackendCredentials clientCredentials;
    private final SetupPhase startupPhase;
    /** Index of the candidate being tried: past 0 the session is a failover ({@code route().reasonAt}). */
    private int attempt;
    private final SessionBook book;
    /** The transaction pool of the candidate being tried; null in session mode. */
    private SharedPool shared;

    /**
     * @param clientCredentials what the client's authentication allows the proxy to log in
     *                          with, for backends configured without a user of their own
     */
    SessionOpener(ProxyContext proxy, MeridianConfig config, Channel client, ClientStartup request,
                  BackendCredentials clientCredentials, SetupPhase startupPhase) {
        this.proxy = proxy;
        this.config = config;
        this.client = client;
        this.request = request;
        this.clientCredentials = clientCredentials;
        this.startupPhase = startupPhase;
        this.book = new SessionBook(proxy, request, client);
    }

    /**
     * Starts on the first candidate, once the database is not paused (PAUSE on the admin
     * console); meanwhile SHOW CLIENTS lists the session as waiting.
     */
    void open() {
        book.waiting(credentials(request.route().candidates().get(0)).user(), transactionPooled());
        String pattern = request.route().rule().pattern();
        proxy.pauses().whenOpen(request.database(), pattern, () -> client.eventLoop().execute(() -> {
            if (client.isActive()) {
                tryCandidate(0);
            }
        }));
    }

    private void tryCandidate(int index) {
        attempt = index;
        BackendConfig backend = request.route().candidates().get(index);
        BackendCredentials credentials = credentials(backend);
        long acquireStart = System.nanoTime();
        StartupMessage startup = backendStartup(credentials);
        shared = transactionPooled() ? proxy.transactionPools().of(backend, startup, credentials) : null;
        (shared != null ? shared.acquire(client.eventLoop(), credentials, config.limits().queryWaitTimeout())
                : proxy.pool().acquire(client.eventLoop(), backend, startup, credentials, config.limits().startupTimeout()))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        PooledConnection lease = (PooledConnection) f.getNow();
                        proxy.metrics().backendConnected(backend, lease.reused(), System.nanoTime() - acquireStart);
                        onConnected(lease, index);
                    } else if (f.cause() instanceof PoolExhaustedException e) {
                        refuse(SqlState.TOO_MANY_CONNECTIONS, e.getMessage());
                    } else {
                        onFailed(index, (BackendException) f.cause());
                    }
                });
    }

    private void onFailed(int index, BackendException e) {
        if (!client.isActive()) {
            return;
        }
        LOG.info("session {}: {}", request.sessionId(), LogSafe.text(e.getMessage()));
        if (e.unreachable()) {
            // Evidence for the health checker: later sessions skip this backend at once.
            proxy.healthMonitor().suspect(request.route().candidates().get(index), e.getMessage());
        }
        if (e.unreachable() && index + 1 < request.route().candidates().size()) {
            tryCandidate(index + 1);
            return;
        }
        startupPhase.finish();
        proxy.metrics().backendFailed(client, request.route().candidates().get(index),
                e.serverError() == null ? null : e.serverError().sqlState());
        logDecision(e.unreachable() ? -1 : attempt); // a login refusal still came from the chosen backend
        book.unserved(e.unreachable() ? "no backend" : "refused");
        if (e.unreachable()) {
            var refusal = Router.noBackend(request.route());
            Refusals.fatal(client, refusal.sqlState(), refusal.getMessage());
        } else if (e.serverError() != null) {
            Refusals.send(client, e.serverError());
        } else {
            Refusals.fatal(client, SqlState.CONNECTION_FAILURE, e.getMessage());
        }
    }

    private void refuse(String sqlState, String message) {
        startupPhase.finish();
        if (client.isActive()) {
            LOG.info("session {}: {}", request.sessionId(), LogSafe.text(message));
            Refusals.fatal(client, sqlState, message);
        }
    }

    /** @param index the candidate's rank: past the first, an earlier one failed over to it */
    private void onConnected(PooledConnection lease, int index) {
        if (!client.isActive()) {
            if (shared != null) {
                shared.release(lease, true);
            } else {
                proxy.pool().release(lease, true);
            }
            return;
        }
        startupPhase.finish();
        BackendKeyData clientKey = lease.keyData() == null ? null
                : proxy.cancels().register(new CancelRegistry.Target(lease.backend(), lease.keyData()));
        greet(lease, clientKey);
        logDecision(attempt);
        proxy.metrics().routeDecided(request.route().clientRegion(), lease.backend().region(),
                request.route().reasonAt(index));
        SessionMeters meters = proxy.metrics().sessionStarted(client, lease.backend(), request.database());
        SessionTally tally = book.active(lease, credentials(lease.backend()).user(), request.route().reasonAt(index));
        Runnable onEnd = () -> {
            meters.ended();
            book.ended(tally);
            if (clientKey != null) {
                proxy.cancels().unregister(clientKey);
            }
        };
        if (shared != null) {
            TxnContext txn = new TxnContext(proxy, request.sessionId(), shared,
                    credentials(lease.backend()), config.limits(), meters, tally, request.database(), clientKey, onEnd);
            if (request.route().target() == SessionTarget.AUTO) {
                txn.reads(new ReadRouter(proxy, request.sessionId(), request.route(),
                        b -> backendStartup(credentials(b)), this::credentials, shared, minLsn()));
            }
            TxnSession s = TxnSession.begin(txn, client, lease, startupPhase.drainPending());
            book.transactionPooled(s::pinShown);
            return;
        }
        RelaySession.start(request.sessionId(), client, lease, proxy.pool(), startupPhase.drainPending(),
                config.limits(), meters, tally, proxy.healthMonitor().activity().answersOf(lease.backend()), onEnd);
    }

    /** The read-your-writes floor of {@code -c meridian.min_lsn=X/Y} (checked at startup), else -1. */
    private long minLsn() {
        String text = request.options().meridian().get(dev.meridian.proxy.routing.RouteRequest.MIN_LSN_OPTION);
        Long lsn = text == null ? null : dev.meridian.proxy.readrouting.Lsn.parseOrNull(text);
        return lsn == null ? -1 : lsn;
    }

    /** pool.mode, the rule's pool_mode, or listen.transaction_port say so (never for walsenders). */
    private boolean transactionPooled() {
        return PoolModeChoice.of(config, request.route().rule(),
                Boolean.TRUE.equals(client.attr(ClientPipeline.TRANSACTION_PORT).get()),
                request.startup().parameters().containsKey("replication")).transaction();
    }

    /** One debug line per session: the route and the candidate used ({@code -1}: none). */
    private void logDecision(int used) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: user={} {}", request.sessionId(), LogSafe.text(request.user()),
                    LogSafe.text(DecisionText.oneLine(request.route(), used)));
        }
    }

    /**
     * What PostgreSQL sends after authentication: the server's current parameter values (a
     * pooled connection's as they stand after its reset), with the cancel key replaced by ours.
     */
    private void greet(PooledConnection lease, BackendKeyData clientKey) {
        ByteBuf out = client.alloc().buffer();
        Authentication.Ok.INSTANCE.encode(out);
        if (!lease.reused()) {
            lease.connection().notices().forEach(n -> n.encode(out));
        }
        lease.parameters().forEach(p -> p.encode(out));
        if (clientKey != null) {
            clientKey.encode(out);
        }
        ReadyForQuery.IDLE.encode(out);
        client.write(out);
    }

    /** The backend's own configured login, else the client's identity (passthrough). */
    private BackendCredentials credentials(BackendConfig backend) {
        if (backend.user() != null) {
            return BackendCredentials.password(backend.user(), backend.password());
        }
        return clientCredentials;
    }

    /** The client's startup parameters with the backend's user and database, Meridian's options removed. */
    private StartupMessage backendStartup(BackendCredentials credentials) {
        Map<String, String> params = new LinkedHashMap<>(request.startup().parameters());
        params.put("user", credentials.user());
        params.put("database", request.route().backendDatabase());
        if (request.options().forwarded() == null) {
            params.remove("options");
        } else {
            params.put("options", request.options().forwarded());
        }
        return new StartupMessage(StartupMessage.PROTOCOL_3_0, params);
    }
}
