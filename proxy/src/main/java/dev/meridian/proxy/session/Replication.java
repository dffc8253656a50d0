package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.protocol.message.StartupMessage;
import java.util.Map;

/**
 * Walsender startups ({@code replication=true|on|yes|1} physical, {@code replication=database}
 * logical). They are refused unless the database rule says {@code replication: true}; allowed
 * ones log in fresh and are closed with their client, never pooled or reset (a walsender keeps
 * temporary slots and streaming state that must not reach another client).
 */
public final class Replication {
    private Replication() {
    }

    /** Whether the startup parameters ask for a walsender; false values and absence do not. */
    public static boolean requested(Map<String, String> startupParameters) {
        return StartupMessage.isReplication(startupParameters);
    }

    /** Refuses (28000, naming the rule's key) a replication startup the rule does not allow. */
    static void check(Map<String, String> startupParameters, DatabaseRule rule) {
        if (requested(startupParameters) && !rule.replication()) {
            throw new ProtocolException(SqlState.INVALID_AUTHORIZATION,
                    "replication connections are not allowed to this database: "
                            + rule.keyPath("replication") + " is not true");
        }
    }
}
