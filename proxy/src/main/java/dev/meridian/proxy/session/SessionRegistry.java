package dev.meridian.proxy.session;

import dev.meridian.proxy.ops.SessionTally;
import dev.meridian.proxy.routing.ClientAddress;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The authenticated sessions right now, for SHOW CLIENTS, SHOW POOLS, PAUSE and KILL: those
 * relayed, and those waiting for a backend (held by PAUSE, or for a pool slot or login).
 */
public final class SessionRegistry {
    public enum State {
        WAITING, ACTIVE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One session. The client address is shown to operators, never put in metrics; it is kept as
     * is and only turned into text when SHOW CLIENTS asks, off the session-start path.
     *
     * @param poolUser     the backend login (the backend's own user, else the client's)
     * @param poolDatabase the database asked of the backend ({@code backend_database})
     * @param backend      the backend relayed to; while waiting, the first candidate (or "")
     * @param since        when the relay started, or when the wait began
     * @param tally        the session's SHOW STATS numbers; null while waiting
     * @param pins         a transaction-pooled session's pin reasons ("" when not pinned), readable
     *                     from any thread; null for a session-mode session
     */
    public record Entry(long id, String user, String database, String poolUser, String poolDatabase,
                        String backend, String backendRegion, ClientAddress clientAddress, Instant since,
                        State state, long waitStartNanos, Channel channel, SessionTally tally,
                        Supplier<String> pins) {
        /** True when the session is transaction-pooled. */
        public boolean transactionPooled() {
            return pins != null;
        }

        Entry withPins(Supplier<String> pins) {
            return new Entry(id, user, database, poolUser, poolDatabase, backend, backendRegion, clientAddress, since,
                    state, waitStartNanos, channel, tally, pins);
        }
    }

    private final Map<Long, Entry> sessions = new ConcurrentHashMap<>();

    void add(Entry e) {
        sessions.put(e.id(), e);
    }

    /** Replaces the entry of session {@code id}, if it is still listed. */
    void update(long id, UnaryOperator<Entry> change) {
        sessions.computeIfPresent(id, (k, e) -> change.apply(e));
    }

    void remove(long id) {
        sessions.remove(id);
    }

    public List<Entry> list() {
        return sessions.values().stream().sorted(Comparator.comparingLong(Entry::id)).toList();
    }
}
