package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import dev.meridian.proxy.backend.pool.PooledConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attached backend's events, which arrive on the backend's own loop (a pooled connection
 * lives on whichever loop made it), brought over to the session's (client's) loop, where its
 * bytes go through the settings replay's skipper, read routing and {@link TxnReplies}. The one
 * thing done on the backend's loop itself is the documented read-ahead of {@link #readComplete}.
 *
 * <pre>
 * TxnBackendHandler (backend loop) ─▶ read / readComplete / writable / closed ─▶ client loop
 * read ─▶ skip replay ─▶ TxnReadRouting ─▶ TxnReplies ─▶ client; done? detach, next unit
 * </pre>
 */
final class TxnBackendEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TxnSession.class);

    private final TxnSession s;
    private final Channel client;
    private final TxnReplies replies;
    /** Backend bytes read on the backend's loop and not yet taken over on the client's (any thread). */
    private final LongAdder handedOver = new LongAdder();

    TxnBackendEvents(TxnSession s, Channel client, TxnReplies replies) {
        this.s = s;
        this.client = client;
        this.replies = replies;
    }

    /**
     * Bytes from the attached backend: on its loop they are handed over to the client's; there
     * they go to the client (or to Meridian's own use), or are dropped if the connection is gone.
     */
    void read(PooledConnection from, ByteBuf buf) {
        if (!client.eventLoop().inEventLoop()) {
            int bytes = buf.readableBytes();
            handedOver.add(bytes);
            client.eventLoop().execute(() -> {
                handedOver.add(-bytes);
                read(from, buf);
            });
            return;
        }
        if (s.ended() || from != s.conn()) {
            buf.release();
            return;
        }
        if (replies.skipReplay(buf) == TxnReplies.Outcome.REPLAY_FAILED) {
            replayFailed();
            return;
        }
        if (!buf.isReadable()) {
            buf.release();
            unitDone();
            return;
        }
        if (s.routing() != null && !s.routing().read(buf)) {
            return;
        }
        switch (replies.read(buf)) {
            case READ -> unitDone();
            case REPLAY_FAILED -> replayFailed();
            case VIOLATION -> {
                LOG.warn("session {}: backend protocol violation: {}", s.sessionId(), replies.violation());
                s.end(SqlState.PROTOCOL_VIOLATION, "backend protocol violation");
            }
        }
    }

    /** Maybe the connection can go back; auto: held frames go on. */
    private void unitDone() {
        s.link().detachIfDone();
        if (s.routing() != null) {
            s.routing().afterUnit();
        }
    }

    private void replayFailed() {
        LOG.warn("session {}: restoring the session's settings on a pooled connection failed", s.sessionId());
        s.end(SqlState.CONNECTION_FAILURE, "could not restore this session's settings on a pooled backend connection");
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
