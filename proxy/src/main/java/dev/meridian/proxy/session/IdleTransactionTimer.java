package dev.meridian.proxy.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code limits.idle_transaction_timeout} for one relayed session, as PostgreSQL's
 * idle_in_transaction_session_timeout measures it: the clock runs from the ReadyForQuery that
 * left the session inside a transaction with nothing in flight, until the client's next message.
 * A slow query is never idle; neither is a session outside a transaction.
 *
 * <p>Cheap on the hot path: the relay reports ReadyForQuery only, and the time is read only
 * when one leaves the session idle in a transaction. One timer per session is armed at a time,
 * for the moment the current idle stretch would run out (or a full timeout ahead when there is
 * none), so a busy session costs a timer task per timeout period, not per message. Runs on the
 * session's event loop only.
 */
final class IdleTransactionTimer {
    private final EventLoop loop;
    private final long timeoutNanos;
    private final BooleanSupplier idleInTransaction;
    private final Runnable expired;
    private long idleSince;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    private IdleTransactionTimer(EventLoop loop, long timeoutNanos, BooleanSupplier idleInTransaction, Runnable expired) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.idleInTransaction = idleInTransaction;
        this.expired = expired;
    }

    /** A running timer, or null when {@code timeout} is zero (off). */
    static IdleTransactionTimer start(Duration timeout, EventLoop loop, BooleanSupplier idleInTransaction,
                                      Runnable expired) {
        if (timeout.isZero()) {
            return null;
        }
        IdleTransactionTimer t = new IdleTransactionTimer(loop, TimeUnit.NANOSECONDS.convert(timeout), idleInTransaction,
                expired);
        t.arm(t.timeoutNanos);
        return t;
    }

    /** The backend sent ReadyForQuery (after the tracker saw it). */
    void readyForQuery() {
        if (idleInTransaction.getAsBoolean()) {
            idleSince = System.nanoTime();
        }
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (stopped) {
            return;
        }
        long delay = timeoutNanos;
        if (idleInTransaction.getAsBoolean()) {
            long idleFor = System.nanoTime() - idleSince;
            if (idleFor >= timeoutNanos) {
                stopped = true;
                expired.run();
                return;
            }
            delay = timeoutNanos - idleFor;
        }
        arm(delay);
    }

    private void arm(long delayNanos) {
        timer = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
}
