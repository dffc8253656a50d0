package dev.meridian.proxy.config;

/**
 * How long a client keeps a backend connection; YAML {@code session | transaction}
 * ({@code pool.mode}, a database rule's {@code pool_mode}). See docs/transaction-pooling.md.
 */
public enum PoolMode {
    /** One backend connection for the client's whole session. */
    SESSION,
    /** A backend connection per transaction (or statement / extended batch up to Sync outside one). */
    TRANSACTION
}
