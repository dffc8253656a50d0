package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code meridian_client_connections{state}}, and what each client connection's session
 * attempt has recorded so far. The per-connection state rides on the channel as an attribute,
 * so the session phases (startup, auth, opener, relay) need no extra constructor parameters to
 * report on it.
 *
 * <pre>
 * accepted ──▶ startup ──relay starts──▶ active ──close──▶ (gone)
 *                 └───────────────close────────────────────▶ (gone)
 * </pre>
 */
final class ClientConnections {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf("meridian.metrics.connection");
    /** For a channel that was never tracked (a test pipeline): records nothing. */
    private static final Connection UNTRACKED = new Connection(null);

    private final AtomicLong startup = new AtomicLong();
    private final AtomicLong active = new AtomicLong();

    ClientConnections(MeterRegistry registry) {
        Meters.clientConnections(registry, "startup", startup);
        Meters.clientConnections(registry, "active", active);
    }

    void opened(Channel client) {
        Connection c = new Connection(this);
        client.attr(KEY).set(c);
        startup.incrementAndGet();
        client.closeFuture().addListener(f -> c.closed());
    }

    Connection of(Channel client) {
        Connection c = client.attr(KEY).get();
        return c == null ? UNTRACKED : c;
    }

    /** One client connection. Touched on its event loop only. */
    static final class Connection {
        private final ClientConnections owner;
        private boolean attempted;
        private boolean decided;
        private boolean active;
        private boolean closed;
        private String database = Meters.NONE;

        private Connection(ClientConnections owner) {
            this.owner = owner;
        }

        /** A StartupMessage arrived: from now on this connection is a session attempt. */
        void attempted(String databaseLabel) {
            attempted = owner != null;
            database = databaseLabel;
        }

        /** The label a failed attempt is counted under: the matching rule's pattern, or none. */
        String database() {
            return database;
        }

        /**
         * True exactly once per connection, for its first outcome. A failure counts only once a
         * StartupMessage made the connection a session attempt (a port probe or a cancel request
         * is not a session); a relay start always counts.
         */
        boolean decide(boolean requireAttempt) {
            if (decided || (requireAttempt && !attempted)) {
                return false;
            }
            decided = true;
            return true;
        }

        void activated() {
            if (owner != null && !active && !closed) {
                active = true;
                owner.startup.decrementAndGet();
                owner.active.incrementAndGet();
            }
        }

        private void closed() {
            closed = true;
            (active ? owner.active : owner.startup).decrementAndGet();
        }
    }
}
