package dev.meridian.proxy.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PAUSE / RESUME (and KILL, SUSPEND) from the admin console: while a database (or everything)
 * is paused, new sessions for it wait before they are given a backend; sessions in flight go
 * on. RESUME lets the waiting sessions through. A name paused is a database name as clients
 * give it, or the pattern of a {@code databases} rule (then every database it matches waits).
 */
public final class DatabasePauses {
    private record Held(String database, String pattern, Runnable proceed) {
    }

    private final Set<String> paused = new HashSet<>();
    private final List<Held> held = new ArrayList<>();
    private boolean all;

    /** Pauses one database, or all of them when {@code database} is null. */
    public synchronized void pause(String database) {
        if (database == null) {
            all = true;
        } else {
            paused.add(database);
        }
    }

    /**
     * Resumes one database, or all when {@code database} is null, releasing the sessions held.
     * Returns false when that name (or, for null, anything) was not paused.
     */
    public boolean resume(String database) {
        List<Runnable> go = new ArrayList<>();
        boolean was;
        synchronized (this) {
            if (database == null) {
                was = all || !paused.isEmpty();
                all = false;
                paused.clear();
            } else {
                was = paused.remove(database);
            }
            held.removeIf(h -> {
                if (!isPaused(h.database(), h.pattern())) {
                    go.add(h.proceed());
                    return true;
                }
                return false;
            });
        }
        go.forEach(Runnable::run);
        return was;
    }

    /** Runs {@code proceed} now, or when the database (or its rule's pattern) is resumed. */
    public void whenOpen(String database, String pattern, Runnable proceed) {
        synchronized (this) {
            if (isPaused(database, pattern)) {
                held.add(new Held(database, pattern, proceed));
                return;
            }
        }
        proceed.run();
    }

    /** Whether sessions for {@code database}, routed by the rule {@code pattern}, wait now. */
    public synchronized boolean isPaused(String database, String pattern) {
        return all || paused.contains(database) || paused.contains(pattern);
    }

    /** Whether everything is paused (PAUSE with no database, or SUSPEND). */
    public synchronized boolean allPaused() {
        return all;
    }

    public synchronized List<String> pausedDatabases() {
        List<String> list = new ArrayList<>(paused);
        if (all) {
            list.add("*");
        }
        return list;
    }
}
