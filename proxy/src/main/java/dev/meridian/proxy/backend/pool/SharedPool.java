package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.PoolConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One transaction pool: the connections of one (backend, startup parameters) key, lent for one
 * transaction at a time. It is one pool across event loops: a connection comes back to whoever
 * waits longest (FIFO), whatever loop either lives on; the session then relays across threads.
 * An idle connection on the asker's own loop is preferred. Connections come from, and finally
 * go back to (reset), the session {@link BackendPool}, so {@code max_per_backend}, min_idle and
 * idle_timeout keep their meaning. Thread-safe: decisions under this object's lock, promise
 * completions outside it.
 */
public final class SharedPool {
    private final BackendPool lender;
    private final TransactionPools siblings;
    private final Supplier<PoolConfig> config;
    private final BackendConfig backend;
    private final StartupMessage startup;
    private final String name;
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Ask> waiters = new ArrayDeque<>();
    private final Set<PooledConnection> owned = new HashSet<>();
    private final Map<PooledConnection, Long> idleSince = new HashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private volatile BackendCredentials credentials;
    private int opening;

    SharedPool(BackendPool lender, TransactionPools siblings, Supplier<PoolConfig> config, BackendConfig backend, StartupMessage startup,
               BackendCredentials credentials) {
        this.lender = lender;
        this.siblings = siblings;
        this.config = config;
        this.backend = backend;
        this.startup = startup;
        this.credentials = credentials;
        this.name = "(database=" + startup.database() + ", user=" + startup.user() + ", backend=" + backend.name() + ")";
    }

    /** A client asking for a connection; not waiting means a connection was free or opening. */
    private record Ask(EventLoop loop, Promise<PooledConnection> promise, long since, Duration patience) {
    }

    /**
     * A connection for one transaction, waiting FIFO up to {@code wait} (then 53300); cancel the
     * future to stop waiting.
     */
    public Future<PooledConnection> acquire(EventLoop loop, BackendCredentials asker, Duration wait) {
        credentials = asker;
        Ask ask = new Ask(loop, loop.newPromise(), System.nanoTime(), wait);
        PooledConnection free;
        boolean open = false;
        synchronized (this) {
            free = takeIdle(loop);
            if (free == null && waiters.isEmpty() && owned.size() + opening < config.get().maxPerBackend()) {
                opening++;
                open = true;
            } else if (free == null) {
                waiters.add(ask);
            }
        }
        if (free != null) {
            lend(ask, free);
        } else if (open) {
            open(ask);
        } else {
            loop.schedule(() -> timedOut(ask), wait.toNanos(), TimeUnit.NANOSECONDS);
            ask.promise().addListener(f -> {
                if (f.isCancelled()) {
                    forget(ask);
                }
            });
        }
        return ask.promise();
    }

    private PooledConnection takeIdle(EventLoop loop) {
        for (Iterator<PooledConnection> it = idle.iterator(); it.hasNext(); ) {
            PooledConnection c = it.next();
            if (c.channel().eventLoop() == loop) {
                it.remove();
                idleSince.remove(c);
                return c;
            }
        }
        PooledConnection c = idle.pollFirst();
        if (c != null) {
            idleSince.remove(c);
        }
        return c;
    }

    private void lend(Ask ask, PooledConnection c) {
        if (!ask.promise().trySuccess(c)) {
            release(c, true);
        }
    }

    private void open(Ask ask) {
        if (lender.activeCount(backend.name()).getAsInt() >= config.get().maxPerBackend()) {
            // The backend is at its cap: an idle connection of another transaction pool gives way.
            siblings.evictIdle(backend.name(), this);
        }
        Future<PooledConnection> lent = lender.acquire(ask.loop(), backend, startup, credentials, ask.patience(), false);
        if (!lent.isDone()) {
            // Queued at the cap: a sibling pool's connection that went idle meanwhile gives way
            // now; one released later sees this waiter and yields (release).
            siblings.evictIdle(backend.name(), this);
        }
        lent.addListener(f -> {
            PooledConnection c = f.isSuccess() ? (PooledConnection) f.getNow() : null;
            synchronized (this) {
                opening--;
                if (c != null) {
                    owned.add(c);
                    c.shared = true;
                }
            }
            if (c == null) {
                ask.promise().tryFailure(f.cause());
                pump();
                return;
            }
            c.channel().closeFuture().addListener(closed -> dropped(c));
            lend(ask, c);
        });
    }

    /** A connection closed on its own (idle, or under a session that already released it). */
    private void dropped(PooledConnection c) {
        boolean ours;
        synchronized (this) {
            ours = owned.remove(c);
            idle.remove(c);
            idleSince.remove(c);
        }
        if (ours) {
            giveBack(c, false);
            pump();
        }
    }

    /** Opens a connection for the longest waiter when there is room (a connection went away). */
    private void pump() {
        Ask next = null;
        synchronized (this) {
            if (!waiters.isEmpty() && owned.size() + opening < config.get().maxPerBackend()) {
                opening++;
                next = waiters.poll();
            }
        }
        if (next != null) {
            open(next);
        }
    }

    /**
     * A transaction is over. A reusable connection (idle, state known) goes to the longest waiter
     * or idles here; any other is closed and its place offered to a waiter.
     */
    public void release(PooledConnection c, boolean reusable) {
        boolean drop = !reusable || !c.channel().isActive();
        boolean yieldSlot = false;
        Ask next = null;
        synchronized (this) {
            // Another pool of the backend waits for a slot (the backend is at its cap): an idle
            // connection here would keep it waiting until idle_timeout; it goes back to the lender.
            // Checked under this pool's lock, which evictOne takes too (see open).
            yieldSlot = !drop && lender.waiting(backend.name());
            if (drop) {
                if (!owned.remove(c)) {
                    return;
                }
            } else if ((next = waiters.poll()) == null && yieldSlot) {
                owned.remove(c);
            } else if (next == null) {
                idle.addLast(c);
                idleSince.put(c, System.nanoTime());
            }
        }
        if (drop || yieldSlot && next == null) {
            giveBack(c, !drop);
            pump();
        } else if (next != null) {
            lend(next, c);
        } else {
            expireLater(c);
        }
    }

    /**
     * A connection whose client is gone but left session state on it (it was pinned): it leaves
     * this pool and goes back to the session pool, which resets it ({@code pool.reset_query}) or
     * closes it.
     */
    public void retire(PooledConnection c) {
        boolean ours;
        synchronized (this) {
            ours = owned.remove(c);
        }
        if (ours) {
            giveBack(c, true);
            pump();
        }
    }

    /** To the session pool, on the connection's own loop, without the transaction relay handler. */
    private void giveBack(PooledConnection c, boolean reusable) {
        c.channel().eventLoop().execute(() -> {
            if (c.channel().pipeline().get(TransactionPools.RELAY) != null) {
                c.channel().pipeline().remove(TransactionPools.RELAY);
            }
            lender.release(c, reusable);
        });
    }

    /** Closes one idle connection, if this pool has one (another pool of the backend needs the slot). */
    boolean evictOne() {
        PooledConnection c;
        synchronized (this) {
            c = idle.pollFirst();
            if (c != null) {
                idleSince.remove(c);
                owned.remove(c);
            }
        }
        if (c != null) {
            giveBack(c, false);
        }
        return c != null;
    }

    /** pool.idle_timeout: an idle connection goes back to the session pool (reset, then closed by its rules). */
    private void expireLater(PooledConnection c) {
        Duration timeout = config.get().idleTimeout();
        if (timeout.isZero()) {
            return;
        }
        Long stamp;
        synchronized (this) {
            stamp = idleSince.get(c);
        }
        c.channel().eventLoop().schedule(() -> {
            boolean expire;
            synchronized (this) {
                expire = stamp != null && stamp.equals(idleSince.get(c)) && idle.remove(c) && owned.remove(c);
                idleSince.remove(c);
            }
            if (expire) {
                giveBack(c, true);
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void timedOut(Ask ask) {
        if (forget(ask)) {
            ask.promise().tryFailure(new PoolExhaustedException(name, config.get().maxPerBackend(), ask.patience()));
        }
    }

    private synchronized boolean forget(Ask ask) {
        return waiters.remove(ask);
    }

    /** Sessions using this pool: counted by the sessions themselves (SHOW POOLS cl_active). */
    public AtomicInteger clients() {
        return clients;
    }

    /** A consistent view for SHOW POOLS and metrics. */
    public synchronized TransactionPools.Stats stats() {
        long maxWait = waiters.isEmpty() ? 0 : System.nanoTime() - waiters.peekFirst().since();
        return new TransactionPools.Stats(startup.database(), startup.user(), backend.name(), backend.region(), clients.get(),
                waiters.size(), owned.size() - idle.size(), idle.size(), maxWait);
    }

    public String name() {
        return name;
    }

    public BackendConfig backend() {
        return backend;
    }
}
