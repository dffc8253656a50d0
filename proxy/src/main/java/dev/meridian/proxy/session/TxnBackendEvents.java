package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.backend.pool.PooledConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.LongAdder;

/**
 * The attached backend's events, which arrive on the backend's own loop (a pooled connection
 * lives on whichever loop made it), brought over to the session's (client's) loop. The one thing
 * done on the backend's loop itself is the documented read-ahead of {@link #readComplete}.
 *
 * <pre>
 * TxnBackendHandler (backend loop) ─▶ read / readComplete / writable / closed ─▶ client loop ─▶ TxnSession
 * </pre>
 */
final class TxnBackendEvents {
    private final TxnSession s;
    private final Channel client;
    /** Backend bytes read on the backend's loop and not yet taken over on the client's (any thread). */
    private final LongAdder handedOver = new LongAdder();

    TxnBackendEvents(TxnSession s, Channel client) {
        this.s = s;
        this.client = client;
    }

    /** Bytes from the attached backend, on its loop: handed over to the client's loop. */
    void read(PooledConnection from, ByteBuf buf) {
        if (!client.eventLoop().inEventLoop()) {
            int bytes = buf.readableBytes();
            handedOver.add(bytes);
            client.eventLoop().execute(() -> {
                handedOver.add(-bytes);
                s.backendRead(from, buf);
            });
            return;
        }
        s.backendRead(from, buf);
    }

    /**
     * A backend read batch ended. On the backend's own loop (the session lives on another one),
     * its next read is asked for right there: asked for from the client's loop, it would be a
     * task and a wake-up for the backend's loop, which would meanwhile have taken EPOLLIN off the
     * socket (no read pending) only to put it back, two epoll_ctl calls per answer. Backpressure
     * holds: no read ahead while the client cannot take more or while the bytes in hand-over
     * exceed its high watermark. A read asked for a connection that was detached meanwhile only
     * re-arms the socket: what comes goes to its next holder, which asks for reads itself.
     */
    void readComplete(PooledConnection from) {
        if (!client.eventLoop().inEventLoop()) {
            boolean readAhead = client.isWritable()
                    && handedOver.sum() < client.config().getWriteBufferHighWaterMark();
            if (readAhead) {
                from.channel().read();
            }
            client.eventLoop().execute(() -> batchDone(from, readAhead));
            return;
        }
        batchDone(from, false);
    }

    private void batchDone(PooledConnection from, boolean readingAlready) {
        client.flush();
        // A connection detached in this batch stays armed too (its next holder would re-arm it,
        // two epoll_ctl calls later); whatever an idle one reads is dropped (TxnBackendHandler).
        if (!readingAlready && (from != s.conn() || client.isWritable())) {
            from.channel().read();
        }
    }

    void writable() {
        client.eventLoop().execute(() -> {
            if (s.conn() != null && !s.ended()) {
                client.read();
            }
        });
    }

    void closed(PooledConnection from) {
        client.eventLoop().execute(() -> {
            if (from == s.conn() && !s.ended()) {
                s.end(SqlState.CONNECTION_FAILURE, "connection to backend \"" + from.backend().name() + "\" lost");
            }
        });
    }
}
