package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one relayed session, resolved once when the relay starts (backend region and
 * database are fixed for the session's life), so the per-message and per-read calls are a
 * field access and an add: no registry lookup, no tags, no allocation.
 *
 * <p>Called by the session's event loop only.
 */
public final class SessionMeters {
    private final QueryClock queries;
    private final Counter clientToBackend;
    private final Counter backendToClient;
    private final Timer duration;
    private final Clock clock;
    private final long startedAt;
    private boolean ended;

    SessionMeters(QueryClock queries, Counter clientToBackend, Counter backendToClient, Timer duration, Clock clock) {
        this.queries = queries;
        this.clientToBackend = clientToBackend;
        this.backendToClient = backendToClient;
        this.duration = duration;
        this.clock = clock;
        this.startedAt = clock.monotonicTime();
    }

    /** A message the client sent, by type byte (from the relay's scanner). */
    public void clientMessage(byte type) {
        queries.clientMessage(type);
    }

    /** A message the backend sent, by type byte (from the relay's scanner). */
    public void backendMessage(byte type) {
        queries.backendMessage(type);
    }

    /** Bytes read from the client and forwarded to the backend. */
    public void fromClient(int bytes) {
        clientToBackend.increment(bytes);
    }

    /** Bytes read from the backend and forwarded to the client. */
    public void fromBackend(int bytes) {
        backendToClient.increment(bytes);
    }

    /** The relay ended; later calls are ignored. */
    public void ended() {
        if (!ended) {
            ended = true;
            duration.record(clock.monotonicTime() - startedAt, TimeUnit.NANOSECONDS);
        }
    }
}
