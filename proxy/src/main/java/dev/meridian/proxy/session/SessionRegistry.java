package dev.meridian.proxy.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions being relayed right now, for SHOW CLIENTS. */
public final class SessionRegistry {
    /** One relayed session. The client address is shown to operators, never put in metrics. */
    public record Entry(long id, String user, String database, String backend, String backendRegion,
                        String clientAddress, Instant since) {
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

    public int size() {
        return sessions.size();
    }
}
