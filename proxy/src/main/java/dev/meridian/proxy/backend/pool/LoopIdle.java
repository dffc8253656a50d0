package dev.meridian.proxy.backend.pool;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The idle connections of one event loop, by key, newest last. Touched only on that loop, so a
 * session's client and backend channels always share a thread.
 */
final class LoopIdle {
    private final Map<PoolKey, ArrayDeque<PooledConnection>> byKey = new HashMap<>();
    /** Idle plain (min_idle) connections of any pool: none means no session needs to look for one. */
    private int plain;

    void add(PooledConnection c) {
        byKey.computeIfAbsent(c.key(), k -> new ArrayDeque<>()).addLast(c);
        if (WarmKey.isPlain(c.key())) {
            plain++;
        }
    }

    boolean hasPlain() {
        return plain > 0;
    }

    /** The most recently idled connection of {@code key} (warmest caches), or null. */
    PooledConnection newest(PoolKey key) {
        ArrayDeque<PooledConnection> q = byKey.get(key);
        return q == null ? null : q.peekLast();
    }

    /** The longest idle connection of {@code backend}, any key, or null. */
    PooledConnection oldestOf(String backend) {
        return oldestOf(backend, null);
    }

    /** The longest idle connection of {@code backend}, any key, other than {@code except}; or null. */
    PooledConnection oldestOf(String backend, PooledConnection except) {
        for (ArrayDeque<PooledConnection> q : byKey.values()) {
            for (PooledConnection c : q) {
                if (c != except && c.backend().name().equals(backend)) {
                    return c;
                }
                break; // only the oldest of each key is a candidate
            }
        }
        return null;
    }

    boolean remove(PooledConnection c) {
        ArrayDeque<PooledConnection> q = byKey.get(c.key());
        if (q == null || !q.remove(c)) {
            return false;
        }
        if (q.isEmpty()) {
            byKey.remove(c.key());
        }
        if (WarmKey.isPlain(c.key())) {
            plain--;
        }
        return true;
    }

    /** Every idle connection of this loop, as a copy (the caller may remove while iterating). */
    java.util.List<PooledConnection> all() {
        java.util.List<PooledConnection> list = new java.util.ArrayList<>();
        byKey.values().forEach(list::addAll);
        return list;
    }

    int count(PoolKey key) {
        ArrayDeque<PooledConnection> q = byKey.get(key);
        return q == null ? 0 : q.size();
    }
}
