package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times queries from the relay's message framing, as DESIGN.md defines them: a simple Query
 * ('Q'), or an extended-protocol batch from its first message up to Sync ('S'), or a
 * FunctionCall ('F'), each until the ReadyForQuery ('Z') the backend answers it with.
 *
 * <p>Clients may pipeline: several batches can be sent before the first 'Z' comes back. The
 * backend answers them in order, so the start times wait in a FIFO ring and each 'Z' takes the
 * oldest. The ring is allocated once per session; a client pipelining more than
 * {@link #CAPACITY} batches has the surplus counted but not timed, so the pairing of starts
 * and answers stays right. Nothing here allocates per message.
 *
 * <p>Used by one session on its event loop only: no synchronisation.
 */
final class QueryClock {
    static final int CAPACITY = 32;

    private final Timer timer;
    private final Clock clock;
    private final long[] starts = new long[CAPACITY];
    private int head;
    private int size;
    /** Batches sent after the ring filled up: answered after all timed ones, not timed. */
    private int untimed;
    /** A batch has begun (its first message was seen) but its Sync has not. */
    private boolean open;
    private long openedAt;

    QueryClock(Timer timer, Clock clock) {
        this.timer = timer;
        this.clock = clock;
    }

    /** A message from the client, by type byte. */
    void clientMessage(byte type) {
        switch (type) {
            case 'Q', 'S', 'F' -> {
                long start = open ? openedAt : clock.monotonicTime();
                open = false;
                enqueue(start);
            }
            // COPY data belongs to the query that started it; Terminate starts nothing.
            case 'd', 'c', 'f', 'X' -> {
            }
            default -> {
                if (!open) {
                    open = true;
                    openedAt = clock.monotonicTime();
                }
            }
        }
    }

    /** A message from the backend, by type byte: ReadyForQuery stops the oldest clock. */
    void backendMessage(byte type) {
        if (type != 'Z') {
            return;
        }
        if (size > 0) {
            long start = starts[head];
            head = (head + 1) % CAPACITY;
            size--;
            timer.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        } else if (untimed > 0) {
            untimed--;
        }
    }

    private void enqueue(long start) {
        if (size == CAPACITY || untimed > 0) {
            untimed++;
            return;
        }
        starts[(head + size) % CAPACITY] = start;
        size++;
    }
}
