package dev.meridian.proxy.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One relayed session's numbers for SHOW STATS: queries and transactions answered, bytes each
 * way, and the time spent in them. Written by the session's event loop only, with opaque stores
 * (a plain store on x86: cheaper than a LongAdder increment); the admin console reads them from
 * another thread with opaque loads, so a live session's numbers show before it ends.
 *
 * <p>A query is a Query, FunctionCall or Sync answered by ReadyForQuery; a transaction ends at a
 * ReadyForQuery that says idle ('I'), as PgBouncer counts them. Pipelined requests are timed back
 * to back: a request's clock starts when the previous answer arrives.
 */
public final class SessionTally {
    static final int XACTS = 0;
    static final int QUERIES = 1;
    static final int RECEIVED = 2;
    static final int SENT = 3;
    static final int XACT_NANOS = 4;
    static final int QUERY_NANOS = 5;
    static final int SLOTS = 6;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[SLOTS];
    private int outstanding;
    private long queryStart;
    private long xactStart;

    private void add(int slot, long delta) {
        SLOT.setOpaque(slots, slot, slots[slot] + delta);
    }

    /** The value of one slot, from any thread. */
    long get(int slot) {
        return (long) SLOT.getOpaque(slots, slot);
    }

    /** Bytes read from the client and forwarded to the backend. */
    public void received(int bytes) {
        add(RECEIVED, bytes);
    }

    /** Bytes read from the backend and forwarded to the client. */
    public void sent(int bytes) {
        add(SENT, bytes);
    }

    /** A message from the client, by type byte: Query, FunctionCall and Sync each await one answer. */
    public void clientMessage(byte type) {
        if (type == 'Q' || type == 'F' || type == 'S') {
            if (outstanding++ == 0) {
                queryStart = System.nanoTime();
                if (xactStart == 0) {
                    xactStart = queryStart;
                }
            }
        }
    }

    /** A ReadyForQuery from the backend with its transaction status ('I', 'T' or 'E'). */
    public void ready(int status) {
        if (outstanding == 0) {
            return; // not an answer to a counted request (e.g. after a COPY the client cut short)
        }
        long now = System.nanoTime();
        add(QUERIES, 1);
        add(QUERY_NANOS, now - queryStart);
        queryStart = --outstanding > 0 ? now : 0;
        if (status == 'I') {
            add(XACTS, 1);
            add(XACT_NANOS, now - xactStart);
            xactStart = outstanding > 0 ? now : 0;
        }
    }
}
