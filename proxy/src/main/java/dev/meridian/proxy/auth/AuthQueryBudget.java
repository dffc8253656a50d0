package dev.meridian.proxy.auth;

import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;

/**
 * The auth_query connections of one backend: at most {@code max} open at once; lookups beyond
 * wait in order. A waiting lookup whose future is done meanwhile (timed out, or its client left)
 * is skipped, so abandoned logins never reach the backend. Thread-safe: loops share it.
 */
final class AuthQueryBudget {
    private record Pending(Runnable start, Future<?> owner) {
    }

    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inUse;

    /** Runs {@code start} now or when a connection of the budget is given back; it must {@link #release()} once. */
    void run(int max, Runnable start, Future<?> owner) {
        synchronized (this) {
            if (inUse >= max) {
                waiting.addLast(new Pending(start, owner));
                return;
            }
            inUse++;
        }
        start.run();
    }

    /** A lookup's connection closed (or failed to open): the next live waiter gets it. */
    void release() {
        Pending next;
        synchronized (this) {
            do {
                next = waiting.pollFirst();
            } while (next != null && next.owner().isDone());
            if (next == null) {
                inUse--;
                return;
            }
        }
        next.start().run();
    }

    synchronized int inUse() {
        return inUse;
    }
}
