package dev.meridian.proxy.server;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import java.util.function.LongSupplier;
import io.netty.util.IntSupplier;

/**
 * How an epoll event loop waits: after it had work (ready sockets, tasks, or it just woke up), it
 * keeps polling without sleeping ({@code epoll_wait} with a zero timeout) for up to {@code spin}
 * before it sleeps in {@code epoll_wait} again. Every poll that finds work starts the window again.
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
    private final long spinNanos;
    private final LongSupplier clock;
    private final CpuPressure pressure;
    private long spinUntil;
    private boolean slept = true;

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
            spinUntil = now + spinNanos;
            return selectNow.get();
        }
        if (slept) {
            // Back from a sleep that something ended: the window opens.
            slept = false;
            spinUntil = now + spinNanos;
        }
        if (now - spinUntil < 0 && !pressure.contended(now)) {
            int ready = selectNow.get();
            if (ready > 0) {
                spinUntil = now + spinNanos;
            }
            return ready;
        }
        slept = true;
        return SelectStrategy.SELECT;
    }
}
