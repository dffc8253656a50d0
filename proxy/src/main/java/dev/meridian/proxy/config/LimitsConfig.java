package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Protective limits on clients.
 *
 * @param idleTransactionTimeout how long a session may sit idle inside a transaction (last
 *                               ReadyForQuery 'T' or 'E', nothing in flight) before it is closed
 *                               with 25P03, as PgBouncer's {@code idle_transaction_timeout};
 *                               zero = never
 * @param queryWaitTimeout       how long a transaction-pooled client waits for a backend
 *                               connection before 53300
 */
public record LimitsConfig(
        int maxClientConnections, Duration startupTimeout, long maxMessageBytes, Duration idleTransactionTimeout,
        Duration queryWaitTimeout) {

    public static final Duration DEFAULT_QUERY_WAIT_TIMEOUT = Duration.ofSeconds(120);

    /** PostgreSQL's {@code MaxAllocSize} (1GB - 1): no single message it accepts is larger. */
    public static final long POSTGRES_MAX_ALLOC_SIZE = 0x3fffffffL;

    /** Smallest accepted {@code max_message_bytes}; below this even ordinary queries fail. */
    public static final long MIN_MESSAGE_BYTES = 1024;

    /**
     * Largest accepted {@code max_message_bytes}: exactly 1GB. PostgreSQL rejects any message whose
     * length word exceeds {@code MaxAllocSize - 1} ({@code PQ_LARGE_MESSAGE_LIMIT}), so every
     * limit from there up to 1GB behaves the same as "Postgres' own cap"; we allow the round 1GB so
     * that the documented spelling {@code max_message_bytes: 1GB} (also the default) validates.
     */
    public static final long MAX_MESSAGE_BYTES = 1L << 30;

    public static final LimitsConfig DEFAULT =
            new LimitsConfig(10_000, Duration.ofSeconds(10), MAX_MESSAGE_BYTES, Duration.ZERO);

    public LimitsConfig {
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(idleTransactionTimeout, "idleTransactionTimeout");
        Objects.requireNonNull(queryWaitTimeout, "queryWaitTimeout");
    }

    /** With the default query_wait_timeout. */
    public LimitsConfig(int maxClientConnections, Duration startupTimeout, long maxMessageBytes,
                        Duration idleTransactionTimeout) {
        this(maxClientConnections, startupTimeout, maxMessageBytes, idleTransactionTimeout, DEFAULT_QUERY_WAIT_TIMEOUT);
    }

    /**
     * The largest length word accepted from a client: {@code max_message_bytes}, but never above
     * PostgreSQL's own {@code PQ_LARGE_MESSAGE_LIMIT} ({@code MaxAllocSize - 1}). Above that the
     * server drops the connection without a word (a COMMERROR, only logged), which a client
     * would see as 08006 "connection to backend lost" instead of the proxy's 08P01 refusal.
     */
    public int clientMessageLimit() {
        return (int) Math.min(maxMessageBytes, POSTGRES_MAX_ALLOC_SIZE - 1);
    }
}
