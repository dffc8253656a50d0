package dev.meridian.proxy.pooling;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The prepared statements Meridian made on one backend connection, least recently used first,
 * at most {@code capacity} of them (pool.max_prepared_statements). Server-side names are
 * {@code mer<generation>_<n>}: a generation is new for every connection that joins a transaction
 * pool and after every DISCARD ALL / DEALLOCATE ALL, so a name never meets a statement left over
 * from an earlier life of the connection (a reset_query that keeps statements, a failed DISCARD).
 *
 * <p>Used by one session at a time (the one holding the connection), on its event loop; the pool
 * hands the connection over under a lock, which publishes the changes.
 */
public final class ServerStatements {
    private static final AtomicLong GENERATIONS = new AtomicLong();

    private final int capacity;
    private final LinkedHashMap<StatementText, String> prepared = new LinkedHashMap<>(16, 0.75f, true);
    private final List<String> stale = new ArrayList<>();
    private String prefix;
    private long next;

    public ServerStatements(int capacity) {
        this.capacity = Math.max(1, capacity);
        reset();
    }

    /** A Parse to add {@code text} under {@code name}, after closing {@code evicted} (null: none). */
    public record Added(String name, StatementText evictedText, String evicted) {
    }

    /** The server-side name of {@code text} here (now the most recently used), or null. */
    public String lookup(StatementText text) {
        return prepared.get(text);
    }

    /** Names {@code text} here, evicting the least recently used statement when full. */
    public Added add(StatementText text) {
        StatementText evictedText = null;
        String evicted = null;
        if (prepared.size() >= capacity) {
            Iterator<Map.Entry<StatementText, String>> eldest = prepared.entrySet().iterator();
            Map.Entry<StatementText, String> e = eldest.next();
            evictedText = e.getKey();
            evicted = e.getValue();
            eldest.remove();
        }
        String name = prefix + next++;
        prepared.put(text, name);
        return new Added(name, evictedText, evicted);
    }

    /** The Parse of {@code text} failed or was skipped: it is not there. */
    public void forget(StatementText text, String name) {
        prepared.remove(text, name);
    }

    /** The Close of {@code name} was skipped: the statement is still there. */
    public void restore(StatementText text, String name) {
        prepared.putIfAbsent(text, name);
    }

    /**
     * A Bind of {@code name} failed (after DDL: 0A000 "cached plan must not change result type",
     * or anything else): the next use prepares the text afresh under a new name, and the old
     * one is closed then ({@link #takeStale()}).
     */
    public void invalidate(StatementText text, String name) {
        if (prepared.remove(text, name)) {
            stale.add(name);
        }
    }

    /** Names to close before the next Parse on this connection; cleared. */
    public List<String> takeStale() {
        if (stale.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(stale);
        stale.clear();
        return out;
    }

    /** Every statement is gone (DISCARD ALL, DEALLOCATE ALL) or may be: start a new generation. */
    public void reset() {
        prepared.clear();
        stale.clear();
        prefix = "mer" + GENERATIONS.incrementAndGet() + "_";
        next = 1;
    }

    public int size() {
        return prepared.size();
    }
}
