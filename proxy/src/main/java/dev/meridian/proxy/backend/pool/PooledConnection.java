package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A logged-in backend connection that belongs to the pool: lent to one session at a time.
 * Keeps the parameter values the server last reported, so a new client can be greeted with
 * them without asking the server.
 */
public final class PooledConnection {
    private final BackendConnection connection;
    private final PoolKey key;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private boolean reused;
    /** In its loop's idle set (touched on the channel's loop only, as the fields below). */
    boolean idle;
    /** The idle_timeout timer while idle, or null. */
    ScheduledFuture<?> expiry;
    /** Lent as a plain warm connection with the client's parameters applied by set_config. */
    boolean adopted;
    /** Held by a transaction pool (SHOW POOLS counts it there, not in a session pool). */
    volatile boolean shared;
    /** RECONNECT asked for a fresh connection: closed, not pooled, when released. */
    volatile boolean retired;
    private final Instant openedAt = Instant.now();

    PooledConnection(BackendConnection connection, PoolKey key) {
        this.connection = connection;
        this.key = key;
        connection.parameters().forEach(p -> parameters.put(p.name(), p.value()));
    }

    public Channel channel() {
        return connection.channel();
    }

    public BackendConfig backend() {
        return connection.backend();
    }

    public BackendKeyData keyData() {
        return connection.keyData();
    }

    public BackendConnection connection() {
        return connection;
    }

    /** When the login finished. */
    public Instant openedAt() {
        return openedAt;
    }

    PoolKey key() {
        return key;
    }

    /** True when this lease is a connection some earlier session used. */
    public boolean reused() {
        return reused;
    }

    void markReused() {
        reused = true;
    }

    /** The server's current parameter values, in the order it first reported them. */
    public List<ParameterStatus> parameters() {
        List<ParameterStatus> list = new ArrayList<>(parameters.size());
        parameters.forEach((k, v) -> list.add(new ParameterStatus(k, v)));
        return list;
    }

    /** The server's current parameter values by name (a copy). */
    Map<String, String> parameterValues() {
        return Map.copyOf(parameters);
    }

    void parameterChanged(ParameterStatus p) {
        parameters.put(p.name(), p.value());
    }
}
