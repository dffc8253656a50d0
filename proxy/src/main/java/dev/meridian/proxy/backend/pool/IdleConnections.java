package dev.meridian.proxy.backend.pool;

import dev.meridian.proxy.config.PoolConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The idle side of the pool: one {@link LoopIdle} per event loop, {@code pool.idle_timeout}
 * expiry (which spares what {@link MinIdle} keeps), the idle count behind the
 * {@code meridian_pool_connections{state="idle"}} gauge, and eviction in favour of waiting
 * sessions. A connection's idle state is only touched on its own loop.
 */
final class IdleConnections {
    private final Map<EventLoop, LoopIdle> byLoop = new ConcurrentHashMap<>();
    private final Function<String, Slots> slots;
    private final Supplier<PoolConfig> config;
    private final MinIdle minIdle;
    private final Retirement retirement;

    IdleConnections(Function<String, Slots> slots, Supplier<PoolConfig> config, MinIdle minIdle, Retirement retirement) {
        this.slots = slots;
        this.config = config;
        this.minIdle = minIdle;
        this.retirement = retirement;
    }

    /** The newest live idle connection of {@code key} on {@code loop}, out of the idle set; or null. */
    PooledConnection take(EventLoop loop, PoolKey key) {
        LoopIdle set = on(loop);
        PooledConnection c;
        while ((c = set.newest(key)) != null) {
            remove(set, c);
            if (retirement.retired(c)) {
                c.channel().close(); // a reload moved its backend; the close task may not have run yet
            } else if (c.channel().isActive()) {
                c.channel().pipeline().remove(IdleHandler.NAME);
                if (WarmKey.isPlain(key)) {
                    minIdle.kick(loop); // a warm one left: top up
                }
                return c;
            }
        }
        return null;
    }

    /**
     * An idle connection of {@code key} from a loop other than {@code to}, moved to {@code to}
     * ({@link LoopMove}): completes on {@code to} with it, or with null when no other loop had one
     * (or the move failed). The loops are asked one after the other, each on its own thread.
     */
    Future<PooledConnection> takeElsewhere(EventLoop to, PoolKey key) {
        Promise<PooledConnection> found = to.newPromise();
        List<EventLoop> others = new ArrayList<>(byLoop.keySet());
        others.remove(to);
        askNext(others.iterator(), to, key, found);
        return found;
    }

    private void askNext(Iterator<EventLoop> others, EventLoop to, PoolKey key, Promise<PooledConnection> found) {
        if (!others.hasNext()) {
            to.execute(() -> found.trySuccess(null));
            return;
        }
        EventLoop from = others.next();
        from.execute(() -> {
            PooledConnection c = take(from, key);
            if (c == null) {
                askNext(others, to, key, found);
                return;
            }
            LoopMove.to(to, c).addListener(f -> found.trySuccess(f.isSuccess() ? c : null));
        });
    }

    /**
     * Keeps a reset connection idle; closes it instead when sessions wait for a slot of its
     * backend, when a reload retired it, or when more idle connections than recent demand needs
     * (plus one spare per further event loop) are kept already (a min_idle one within its loop's share is always kept).
     */
    void keep(PooledConnection c) {
        Slots s = slots.apply(c.backend().name());
        if (s.hasWaiters() || !c.channel().isActive() || c.retired || retirement.retired(c)) {
            // Someone is waiting for this backend, maybe on another loop: free the slot for them.
            c.channel().close();
            return;
        }
        boolean warm = minIdle.keeps(c, on(c.channel().eventLoop()).count(c.key()) + 1);
        // One spare per further loop: a session only takes idle connections of its own loop, so
        // a lone client alternating between two loops needs one idle on each.
        int spare = Math.max(0, byLoop.size() - 1);
        boolean overBound = !s.keepIdle(config.get().minIdle() + spare, warm);
        if (overBound) {
            s.keepIdle(0, true); // counted now; the longest idle one goes instead (LRU), not this warm one
        }
        on(c.channel().eventLoop()).add(c);
        c.idle = true;
        if (overBound) {
            evictOne(c.backend().name(), c);
        }
        scheduleExpiry(c);
    }

    /** The connection closed: out of the idle set if it was there (the server went away while idle). */
    void closed(PooledConnection c) {
        if (c.idle) {
            remove(on(c.channel().eventLoop()), c);
            minIdle.kick(c.channel().eventLoop());
        }
    }

    /**
     * At the cap, an idle connection of the same backend (any key, any loop) is worth less than
     * a waiting session: close one, and its slot goes to the waiter.
     */
    void evictOne(String backend) {
        evictOne(backend, null);
    }

    /** As {@link #evictOne(String)}, sparing {@code except}. */
    void evictOne(String backend, PooledConnection except) {
        AtomicBoolean done = new AtomicBoolean();
        byLoop.forEach((loop, set) -> loop.execute(() -> {
            PooledConnection c = done.get() ? null : set.oldestOf(backend, except);
            if (c != null && done.compareAndSet(false, true)) {
                remove(set, c);
                c.channel().close();
            }
        }));
    }

    /** A reload: idle connections it retired are closed, on their own loops. */
    void closeRetired() {
        byLoop.forEach((loop, set) -> loop.execute(() -> {
            for (PooledConnection c : set.all()) {
                if (retirement.retired(c)) {
                    remove(set, c);
                    c.channel().close();
                }
            }
        }));
    }

    /** Whether {@code loop} has any plain warm connection idle; call on that loop. */
    boolean hasPlain(EventLoop loop) {
        return on(loop).hasPlain();
    }

    /** Idle connections of {@code key} on {@code loop}; call on that loop. */
    int count(EventLoop loop, PoolKey key) {
        return on(loop).count(key);
    }

    private void scheduleExpiry(PooledConnection c) {
        long idleMs = config.get().idleTimeout().toMillis();
        if (idleMs > 0) { // zero: idle connections are never closed
            c.expiry = c.channel().eventLoop().schedule(() -> expire(c), idleMs, TimeUnit.MILLISECONDS);
        }
    }

    private void expire(PooledConnection c) {
        c.expiry = null;
        if (!c.idle) {
            return;
        }
        LoopIdle set = on(c.channel().eventLoop());
        if (minIdle.keeps(c, set.count(c.key()))) {
            scheduleExpiry(c);
            return;
        }
        remove(set, c);
        c.channel().close();
    }

    private void remove(LoopIdle set, PooledConnection c) {
        if (set.remove(c)) {
            c.idle = false;
            if (c.expiry != null) {
                c.expiry.cancel(false);
                c.expiry = null;
            }
            slots.apply(c.backend().name()).unidled();
        }
    }

    private LoopIdle on(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new LoopIdle());
    }
}
