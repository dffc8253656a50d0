package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code meridian_client_connections{state}} and {@code meridian_sessions_total}: what each
 * client connection is doing and how its session attempt ended. The per-connection state rides
 * on the channel as an attribute, so the session phases (startup, auth, opener, relay, and the
 * refusal helper) report on it without extra constructor parameters.
 *
 * <pre>
 * accepted ──▶ startup ──relay starts (ok)──▶ active ──close──▶ gone
 *                 │ StartupMessage: a session attempt; its first outcome counts, once
 *                 └──refused / auth_failed / backend_error, or hang-up──close──▶ gone
 * </pre>
 */
final class ClientConnections {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf("meridian.metrics.connection");

    private final MeterRegistry registry;
    private final AtomicLong startup = new AtomicLong();
    private final AtomicLong active = new AtomicLong();

    ClientConnections(MeterRegistry registry) {
        this.registry = registry;
        Meters.clientConnections(registry, "startup", startup);
        Meters.clientConnections(registry, "active", active);
    }

    void opened(Channel client) {
        Connection c = new Connection(this);
        client.attr(KEY).set(c);
        startup.incrementAndGet();
        client.closeFuture().addListener(f -> c.closed());
    }

    void attempted(Channel client, String databaseLabel) {
        Connection c = client.attr(KEY).get();
        if (c != null) {
            c.attempted = true;
            c.database = databaseLabel;
        }
    }

    /** A failure counts only for a session attempt: a port probe or a cancel request is not a session. */
    void failed(Channel client, String backendRegion, SessionOutcome outcome) {
        Connection c = client.attr(KEY).get();
        if (c != null && c.attempted && !c.decided) {
            c.decided = true;
            Meters.sessions(registry, backendRegion, c.database, outcome).increment();
        }
    }

    /**
     * The relay started: always a session, {@code ok} (counted on {@code ok}, the session's
     * pre-resolved series), and the connection is now active.
     */
    void started(Channel client, Counter ok) {
        Connection c = client.attr(KEY).get();
        if (c != null) {
            if (c.decided) {
                return;
            }
            c.decided = true;
            c.activate();
        }
        ok.increment();
    }

    /** For callers without the facade at hand: finds the connection's own metrics through the channel. */
    static void refused(Channel client, String sqlState) {
        Connection c = client.attr(KEY).get();
        if (c != null) {
            c.owner.failed(client, Meters.NONE, SessionOutcome.refusal(sqlState));
        }
    }

    /** One client connection. Touched on its event loop only. */
    private static final class Connection {
        private final ClientConnections owner;
        private boolean attempted;
        private boolean decided;
        private boolean active;
        private boolean closed;
        /** The label a failed attempt counts under: the matching rule's pattern, or none. */
        private String database = Meters.NONE;

        private Connection(ClientConnections owner) {
            this.owner = owner;
        }

        private void activate() {
            if (!closed) {
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
