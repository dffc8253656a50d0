package dev.meridian.proxy.backend.pool;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The connection count of one backend across all event loops (open = idle + active + being
 * opened), the sessions waiting for one, and the recent demand ({@link PeakDemand}) that bounds
 * how many idle connections are worth keeping. Thread-safe: loops share it.
 */
final class Slots {
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final PeakDemand demand = new PeakDemand(PeakDemand.WINDOW_NANOS);
    private int open;
    private int active;
    private int idle;

    synchronized boolean reserve(int max) {
        if (open >= max) {
            return false;
        }
        open++;
        return true;
    }

    /** A connection closed (or failed to open): its slot goes to the first waiter, if any. */
    void freed(Consumer<Waiter> retry) {
        Waiter next;
        synchronized (this) {
            open--;
            next = waiters.pollFirst();
        }
        if (next != null) {
            retry.accept(next);
        }
    }

    /**
     * A slot for {@code w}, else {@code w} queued for the next one freed, in one step: checked and
     * queued apart, a slot freed in between ({@link #freed}) would find no waiter and {@code w}
     * would wait its whole patience with a slot free (seen as 53300 under load).
     */
    synchronized boolean reserveOrEnqueue(int max, Waiter w) {
        if (open < max) {
            open++;
            return true;
        }
        waiters.addLast(w);
        return false;
    }

    synchronized void enqueue(Waiter w) {
        waiters.addLast(w);
    }

    /** Removes a waiter whose time ran out; false when it was already served. */
    synchronized boolean forget(Waiter w) {
        return waiters.remove(w);
    }

    /** The first waiter on {@code loop} (null: on any loop) for exactly {@code key}, out of the queue; null if none. */
    synchronized Waiter takeWaiter(EventLoop loop, PoolKey key) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if ((loop == null || w.loop() == loop) && w.key().equals(key)) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    synchronized boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    synchronized void activated() {
        active++;
        demand.observe(active, System.nanoTime());
    }

    /**
     * Counts one more idle connection if it is worth keeping ({@code always}: kept regardless):
     * idle plus active stay below the most sessions this backend served at once recently, plus
     * {@code allowance} (pool.min_idle). More would only wait for idle_timeout. Checked and
     * counted under one lock, so loops releasing at once cannot both slip past the bound.
     */
    synchronized boolean keepIdle(int allowance, boolean always) {
        if (!always && idle + active >= demand.peak(System.nanoTime()) + allowance) {
            return false;
        }
        idle++;
        return true;
    }

    /** Connections beyond {@code max} (a reload lowered max_per_backend): how many to close. */
    synchronized int surplus(int max) {
        return Math.max(0, open - max);
    }

    synchronized void deactivated() {
        active--;
    }

    synchronized void unidled() {
        idle--;
    }

    synchronized int idle() {
        return idle;
    }

    synchronized int active() {
        return active;
    }
}
