package dev.meridian.proxy.server;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How an epoll event loop waits: after it had work (ready sockets, tasks, or it just woke up), it
 * keeps polling without sleeping ({@code epoll_wait} with a zero timeout) for up to {@code spin}
 * before it sleeps in {@code epoll_wait} again. Every poll that finds work starts the window again;
 * windows that pass without any make it skip the next few chances (exponential back-off).
 * It never spins while the machine's CPUs are contended ({@link CpuPressure}): then it waits as
 * Netty's default strategy does.
 *
 * <p>Why: a proxied round trip is four socket hops instead of two. A loop that sleeps between them
 * pays a scheduler wake-up (and, on a virtual machine, often an exit to the hypervisor to wake an
 * idle virtual CPU) for the backend's answer and again for the client's next query; one that is
 * still polling catches them at once. The price is CPU burnt while nothing arrives, at most
 * {@code spin} after each burst of work, so an idle proxy still sleeps; and only CPU nobody else
 * was queueing for. See bench/RESULTS.md for what it buys and costs.
 *
 * <p>One instance per event loop, used by that loop's thread only.
 */
final class SpinThenSleep implements SelectStrategy {
    /** Backing off after this many wasted windows in a row skips 2^n - 1 chances to spin. */
    static final int MAX_BACKOFF = 6;
    private final long spinNanos;
    private final LongSupplier clock;
    private final CpuPressure pressure;
    private boolean spinning;
    private long spinUntil;
    private boolean slept = true;
    /** Windows in a row that ran out without finding work, and chances to spin still to skip. */
    private int misses;
    private int skips;

    SpinThenSleep(long spinNanos, LongSupplier clock, CpuPressure pressure) {
        if (spinNanos <= 0) {
            throw new IllegalArgumentException("spin must be positive: " + spinNanos);
        }
        this.spinNanos = spinNanos;
        this.clock = clock;
        this.pressure = pressure;
    }

    /** A factory for {@code EpollIoHandler.newFactory}: each loop gets its own strategy. */
    static SelectStrategyFactory factory(long spinNanos) {
        return () -> new SpinThenSleep(spinNanos, System::nanoTime, CpuPressure.system());
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        long now = clock.getAsLong();
        if (hasTasks) {
            // Netty's default: tasks are waiting, so only look for I/O. Work is about: poll on after.
            slept = false;
            if (skips == 0) {
                openWindow(now);
            }
            return selectNow.get();
        }
        if (slept) {
            // Back from a sleep that something ended: a window opens, unless recent ones were wasted.
            slept = false;
            if (skips > 0) {
                skips--;
            } else {
                openWindow(now);
            }
        }
        if (spinning && now - spinUntil < 0 && !pressure.contended(now)) {
            int ready = selectNow.get();
            if (ready > 0) {
                spinUntil = now + spinNanos;
                misses = 0;
            }
            return ready;
        }
        if (spinning && now - spinUntil >= 0) {
            // The whole window passed and nothing came: traffic is sparser than the window. Back
            // off: skip the next 1, 3, 7 ... 63 chances to spin, so that a trickle of queries
            // (one a millisecond, say) does not keep a core busy for nothing.
            misses = Math.min(misses + 1, MAX_BACKOFF);
            skips = (1 << misses) - 1;
        }
        spinning = false;
        slept = true;
        return SelectStrategy.SELECT;
    }

    private void openWindow(long now) {
        spinning = true;
        spinUntil = now + spinNanos;
    }
}
