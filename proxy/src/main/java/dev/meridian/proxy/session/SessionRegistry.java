package dev.meridian.proxy.session;

import dev.meridian.proxy.routing.ClientAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions being relayed right now, for SHOW CLIENTS. */
public final class SessionRegistry {
    /**
     * One relayed session. The client address is shown to operators, never put in metrics; it is
     * kept as is and only turned into text when SHOW CLIENTS asks, off the session-start path.
     */
    public record Entry(long id, String user, String database, String backend, String backendRegion,
                        ClientAddress clientAddress, Instant since) {
    }

    private final Map<Long, Entry> sessions = new ConcurrentHashMap<>();

    void add(Entry e) {
        sessions.put(e.id(), e);
    }

    void remove(long id) {
        sessions.remove(id);
    }

    public List<Entry> list() {
        return sessions.values().stream().sorted(Comparator.comparingLong(Entry::id)).toList();
    }
}
