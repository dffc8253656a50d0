package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.StartupMessage;
import java.util.Map;

/**
 * Which pooled connections a session may take: same backend, same startup parameters (so the
 * same user and database, and the same session defaults such as client_encoding, DateStyle,
 * TimeZone, application_name and options, which DISCARD ALL returns to). Clients whose drivers
 * send different parameters get connections of their own.
 */
public record PoolKey(String backend, Map<String, String> startupParameters) {
    public PoolKey {
        startupParameters = Map.copyOf(startupParameters);
    }

    /** A walsender's key: such a connection is never reused, never reset, never kept idle. */
    public boolean replication() {
        return StartupMessage.isReplication(startupParameters);
    }
}
