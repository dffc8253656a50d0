package dev.meridian.proxy.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} route decisions, for the status page: when, which database, the
 * client's region (as located), the backend chosen and why. No user name and no client address
 * is kept: the page is for "where does traffic go", and SHOW CLIENTS already shows who is
 * connected to an operator who may see it. One short lock per session start.
 */
public final class RouteLog {
    public static final int CAPACITY = 50;

    /**
     * @param backend null when no backend took the session
     * @param reason  {@code database}, {@code geo}, {@code local}, {@code pinned}, {@code failover},
     *                or {@code no backend} / {@code refused} when the session was not served
     */
    public record Event(Instant at, String database, String clientRegion, String backend, String backendRegion,
                        String reason) {
    }

    private final Event[] ring = new Event[CAPACITY];
    private int next;
    private long count;

    public synchronized void add(Event e) {
        ring[next] = e;
        next = (next + 1) % CAPACITY;
        count++;
    }

    /** The events kept, newest first. */
    public synchronized List<Event> recent() {
        List<Event> list = new ArrayList<>(CAPACITY);
        for (int i = 1; i <= CAPACITY; i++) {
            Event e = ring[(next - i + CAPACITY) % CAPACITY];
            if (e != null) {
                list.add(e);
            }
        }
        return list;
    }

    /** How many decisions were logged since start (the ring keeps the last {@link #CAPACITY}). */
    public synchronized long count() {
        return count;
    }
}
