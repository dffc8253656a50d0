package dev.meridian.proxy.session;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import dev.meridian.protocol.codec.MessageScanner;
import dev.meridian.protocol.message.BackendMessage;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.LimitsConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import java.util.List;

/**
 * The relay phase: bytes flow both ways unchanged. Each receive buffer is forwarded whole
 * (no copy, no re-encoding); a {@link MessageScanner} per direction only watches message
 * boundaries, so the session knows when the client said Terminate, what the backend said last,
 * and whether a stream stopped mid-message.
 *
 * <p>Both channels share one event loop, so this state needs no synchronisation.
 */
final class RelaySession {
    private final long sessionId;
    private final Channel client;
    private final Channel backend;
    private final String backendName;
    private final Runnable onEnd;
    final MessageScanner fromClient;
    final MessageScanner fromBackend;
    private boolean clientTerminated;
    private byte lastBackendType;
    private boolean ended;

    private RelaySession(long sessionId, Channel client, BackendConnection conn, int maxMessageBytes, Runnable onEnd) {
        this.sessionId = sessionId;
        this.client = client;
        this.backend = conn.channel();
        this.backendName = conn.backend().name();
        this.onEnd = onEnd;
        this.fromClient = new MessageScanner(maxMessageBytes, this::onClientMessage);
        // A server's messages are not capped by the client-side limit: results may be large.
        this.fromBackend = new MessageScanner(Integer.MAX_VALUE, this::onBackendMessage);
    }

    /** Replaces the startup-phase handlers on both channels with relay handlers and starts reading. */
    static void start(long sessionId, Channel client, BackendConnection conn, List<Frame> pending,
                      LimitsConfig limits, Runnable onEnd) {
        RelaySession s = new RelaySession(sessionId, client, conn, limits.clientMessageLimit(), onEnd);
        ChannelPipeline cp = client.pipeline();
        ChannelPipeline bp = s.backend.pipeline();
        cp.addLast("relay", new RelayHandler(s, s.backend, s.fromClient, true));
        bp.addLast("relay", new RelayHandler(s, client, s.fromBackend, false));
        for (Frame f : pending) {
            s.fromClient.scan(f.content());
            s.backend.write(f.content(), s.backend.voidPromise());
        }
        // Removing the decoders hands any bytes they still buffer to the relay handlers.
        cp.remove(StartupHandler.class);
        cp.remove(ClientPipeline.DECODER);
        bp.remove(BackendConnector.DECODER);
        client.flush();
        s.backend.flush();
        client.read();
        s.backend.read();
    }

    private void onClientMessage(byte type, int length, int firstBodyByte) {
        if (type == FrontendMessages.TERMINATE) {
            clientTerminated = true;
        }
    }

    private void onBackendMessage(byte type, int length, int firstBodyByte) {
        lastBackendType = type;
    }

    long sessionId() {
        return sessionId;
    }

    /** The client went away: let the backend end its session cleanly, then close it. */
    void clientClosed() {
        if (backend.isActive() && !clientTerminated && fromClient.atBoundary()) {
            ByteBuf out = backend.alloc().buffer(5);
            FrontendMessages.terminate(out);
            backend.write(out, backend.voidPromise());
        }
        closeAfterFlush(backend);
        end();
    }

    /**
     * The backend went away. Unless the client asked for it or the backend already said why
     * (a FATAL ErrorResponse), tell the client with an ErrorResponse, if that can be inserted
     * at a message boundary without corrupting its stream.
     */
    void backendClosed() {
        if (client.isActive() && !clientTerminated && lastBackendType != BackendMessage.ERROR_RESPONSE
                && fromBackend.atBoundary()) {
            ByteBuf out = client.alloc().buffer();
            ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, "connection to backend \"" + backendName + "\" lost")
                    .encode(out);
            client.write(out, client.voidPromise());
        }
        closeAfterFlush(client);
        end();
    }

    /** A client message broke the protocol (e.g. over the size limit): refuse it and end both sides. */
    void clientViolation(ProtocolException e) {
        if (fromBackend.atBoundary()) {
            Refusals.fatal(client, e.sqlState(), e.getMessage());
        } else {
            client.close();
        }
        backend.close();
        end();
    }

    void closeBoth() {
        client.close();
        backend.close();
        end();
    }

    private static void closeAfterFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            onEnd.run();
        }
    }
}
