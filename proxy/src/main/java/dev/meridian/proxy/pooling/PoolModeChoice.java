package dev.meridian.proxy.pooling;

import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.PoolMode;
import java.util.Locale;

/**
 * Which pooling mode a session gets, and why (for {@code meridian route}): any session on
 * {@code listen.transaction_port} is transaction-pooled; elsewhere the database rule's
 * {@code pool_mode}, else {@code pool.mode}. A walsender (replication) session is never pooled.
 */
public record PoolModeChoice(PoolMode mode, String reason) {

    public static PoolModeChoice of(MeridianConfig config, DatabaseRule rule, boolean onTransactionPort,
                                    boolean replication) {
        if (replication) {
            return new PoolModeChoice(PoolMode.SESSION, "replication connections are never pooled");
        }
        if (onTransactionPort) {
            return new PoolModeChoice(PoolMode.TRANSACTION,
                    "listen.transaction_port (" + config.listen().transactionPort() + ")");
        }
        if (rule != null && rule.poolMode() != null) {
            return new PoolModeChoice(rule.poolMode(), "databases." + rule.pattern() + ".pool_mode");
        }
        return new PoolModeChoice(config.pool().mode(), "pool.mode");
    }

    public boolean transaction() {
        return mode == PoolMode.TRANSACTION;
    }

    /** "transaction (pool.mode)". */
    public String text() {
        return mode.name().toLowerCase(Locale.ROOT) + " (" + reason + ")";
    }
}
