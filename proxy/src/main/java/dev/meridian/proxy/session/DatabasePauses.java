package dev.meridian.proxy.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PAUSE / RESUME from the admin console: while a database (or everything) is paused, new
 * sessions for it wait before they are given a backend; sessions in flight go on. RESUME lets
 * the waiting sessions through.
 */
public final class DatabasePauses {
    private record Held(String database, Runnable proceed) {
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

    /** Resumes one database, or all when {@code database} is null, releasing the sessions held. */
    public void resume(String database) {
        List<Runnable> go = new ArrayList<>();
        synchronized (this) {
            if (database == null) {
                all = false;
                paused.clear();
            } else {
                paused.remove(database);
            }
            held.removeIf(h -> {
                if (!isPaused(h.database())) {
                    go.add(h.proceed());
                    return true;
                }
                return false;
            });
        }
        go.forEach(Runnable::run);
    }

    /** Runs {@code proceed} now, or when the database is resumed. */
    public void whenOpen(String database, Runnable proceed) {
        synchronized (this) {
            if (isPaused(database)) {
                held.add(new Held(database, proceed));
                return;
            }
        }
        proceed.run();
    }

    public synchronized boolean isPaused(String database) {
        return all || paused.contains(database);
    }

    public synchronized List<String> pausedDatabases() {
        List<String> list = new ArrayList<>(paused);
        if (all) {
            list.add("*");
        }
        return list;
    }
}
