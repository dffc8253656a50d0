package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.backend.pool.SharedPool;
import dev.meridian.proxy.backend.pool.TransactionPools;
import dev.meridian.proxy.config.LimitsConfig;
import dev.meridian.proxy.config.Units;
import dev.meridian.proxy.metrics.SessionMeters;
import dev.meridian.proxy.ops.SessionTally;
import dev.meridian.proxy.pooling.PinReason;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a transaction-pooled session needs from the proxy, fixed when it starts: its pool, the
 * credentials new connections log in with, its limits and meters, and the client's cancel key
 * (pointed at whichever connection runs the client's request, nowhere between requests).
 */
final class TxnContext {
    private static final Logger LOG = LoggerFactory.getLogger(TxnContext.class);

    private final ProxyContext proxy;
    private final long sessionId;
    private final SharedPool pool;
    private final BackendCredentials credentials;
    private final LimitsConfig limits;
    private final SessionMeters meters;
    private final SessionTally tally;
    private final Counter transactions;
    private final BackendKeyData clientKey;
    private final Runnable onEnd;
    private final java.util.concurrent.atomic.LongAdder answers;
    /** Per-unit routing of a target: auto session, else null (every unit on {@code pool}). */
    private ReadRouter reads;
    private final int maxPreparedStatements;

    TxnContext(ProxyContext proxy, long sessionId, SharedPool pool, BackendCredentials credentials, LimitsConfig limits,
               SessionMeters meters, SessionTally tally, String database, BackendKeyData clientKey, Runnable onEnd) {
        this.proxy = proxy;
        this.sessionId = sessionId;
        this.pool = pool;
        this.credentials = credentials;
        this.limits = limits;
        this.meters = meters;
        this.tally = tally;
        this.transactions = proxy.poolingMeters().transactions(pool.backend().region(), database);
        this.clientKey = clientKey;
        this.onEnd = onEnd;
        this.answers = proxy.healthMonitor().activity().answersOf(pool.backend());
        this.maxPreparedStatements = proxy.config().pool().maxPreparedStatements();
        pool.clients().incrementAndGet();
    }

    long sessionId() {
        return sessionId;
    }

    SharedPool pool() {
        return pool;
    }

    ReadRouter reads() {
        return reads;
    }

    /** health.causal_wait of the configuration in force. */
    java.time.Duration causalWait() {
        return proxy.config().health().causalWait();
    }

    TxnContext reads(ReadRouter router) {
        this.reads = router;
        return this;
    }

    BackendCredentials credentials() {
        return credentials;
    }

    LimitsConfig limits() {
        return limits;
    }

    SessionMeters meters() {
        return meters;
    }

    /** The session's SHOW STATS numbers (written on the client's loop only). */
    SessionTally tally() {
        return tally;
    }

    /** pool.max_prepared_statements as the session started; 0: named statements pin. */
    int maxPreparedStatements() {
        return maxPreparedStatements;
    }

    int maxMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE, limits.maxMessageBytes());
    }

    /** meridian_prepared_statements_total{outcome}. */
    void preparedStatement(String outcome) {
        proxy.poolingMeters().preparedStatement(outcome);
    }

    /** The prepared statements Meridian made on {@code c} (attached to this session). */
    dev.meridian.proxy.pooling.ServerStatements statementsOn(PooledConnection c) {
        TxnBackendHandler handler = (TxnBackendHandler) c.channel().pipeline().get(TransactionPools.RELAY);
        return handler.statements(maxPreparedStatements);
    }

    void pinned(PinReason reason) {
        LOG.debug("session {}: pinned to its backend connection ({})", sessionId, reason.label());
        proxy.poolingMeters().pinned(reason.label());
    }

    void waited(long nanos) {
        proxy.poolingMeters().waited(nanos);
    }

    /** A ReadyForQuery: evidence of life for the backend's health checks. */
    void answered() {
        answers.increment();
    }

    /**
     * {@code c} now serves {@code session}: its reads go there, and so do cancels. Returns the
     * session settings the connection carries now.
     */
    java.util.Map<String, String> attached(TxnSession session, PooledConnection c) {
        ChannelPipeline p = c.channel().pipeline();
        TxnBackendHandler handler = (TxnBackendHandler) p.get(TransactionPools.RELAY);
        if (handler == null) {
            if (p.get(BackendConnector.DECODER) != null) {
                p.remove(BackendConnector.DECODER);
            }
            handler = new TxnBackendHandler(c);
            p.addLast(TransactionPools.RELAY, handler);
        }
        handler.owner(session);
        if (clientKey != null && c.keyData() != null) {
            proxy.cancels().retarget(clientKey, new CancelRegistry.Target(c.backend(), c.keyData()));
        }
        return handler.settings();
    }

    /** {@code c} goes back: nothing of this session may reach it or come from it. */
    void detached(PooledConnection c, java.util.Map<String, String> settings) {
        TxnBackendHandler handler = (TxnBackendHandler) c.channel().pipeline().get(TransactionPools.RELAY);
        if (handler != null) {
            handler.owner(null);
            handler.settings(settings);
        }
        if (clientKey != null) {
            proxy.cancels().retarget(clientKey, CancelRegistry.Target.NONE);
        }
        transactions.increment();
    }

    void idleInTransactionTooLong(TxnSession session) {
        String timeout = Units.formatDuration(limits.idleTransactionTimeout());
        LOG.info("session {}: idle in transaction for longer than {}, closing", sessionId, timeout);
        session.end(SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                "terminating connection due to idle-in-transaction timeout (limits.idle_transaction_timeout: "
                        + timeout + ")");
    }

    void ended() {
        pool.clients().decrementAndGet();
        onEnd.run();
    }
}
