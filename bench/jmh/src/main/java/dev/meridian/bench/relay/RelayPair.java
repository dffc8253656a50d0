package dev.meridian.bench.relay;

import dev.meridian.proxy.backend.pool.BackendPool;
import dev.meridian.proxy.backend.pool.PoolAccess;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.PoolConfig;
import dev.meridian.proxy.metrics.MeridianMetrics;
import dev.meridian.proxy.metrics.SessionMeters;
import dev.meridian.proxy.session.RelayAccess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A client channel and a backend channel joined by a relay, driven by hand: a "read" on one
 * side is a {@code fireChannelRead} + {@code fireChannelReadComplete} on its pipeline, as the
 * transport does it, and what the relay flushed to the other side is taken from that channel's
 * outbound queue and released (as the socket write would). Either Meridian's relay (the
 * production {@code RelaySession} with its scanners, query tracker and pre-bound Prometheus
 * meters) or a baseline that only forwards, like Netty's HexDumpProxy: the difference between
 * the two is what Meridian's relay costs, without the harness.
 */
public final class RelayPair implements AutoCloseable {
    private static final String CONFIG = """
            region: iad
            auth: { method: trust }
            backends:
              - { name: far-1, region: lhr, host: 127.0.0.1, port: 5432, user: bench, password: bench }
            databases:
              "*": { regions: [lhr] }
            """;
    private static final int MAX_MESSAGE_BYTES = 1 << 30;

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final EmbeddedChannel backend = new EmbeddedChannel();
    private final MeridianMetrics metrics;

    private RelayPair(MeridianMetrics metrics) {
        this.metrics = metrics;
    }

    /** Meridian's relay, as {@code SessionOpener} starts it once a session has its backend. */
    public static RelayPair meridian() {
        MeridianConfig config = ConfigLoader.parse(CONFIG, Map.of(), Path.of("."));
        MeridianMetrics metrics = new MeridianMetrics(() -> config);
        RelayPair p = new RelayPair(metrics);
        BackendConfig far = config.backends().get(0);
        // No reset query: when the benchmark ends, the lease goes back to this pool without I/O.
        BackendPool pool = new BackendPool(null, () -> new PoolConfig(1, Duration.ofMinutes(5), "", 0), MAX_MESSAGE_BYTES);
        PooledConnection lease = PoolAccess.lease(p.backend, far, "bench");
        metrics.clientConnected(p.client);
        SessionMeters meters = metrics.sessionStarted(p.client, far, "bench");
        RelayAccess.start(p.client, lease, pool, MAX_MESSAGE_BYTES, meters, meters::ended);
        return p;
    }

    /** Forwarding only: write each read to the peer, flush the peer once per read batch. */
    public static RelayPair baseline() {
        RelayPair p = new RelayPair(null);
        p.client.pipeline().addLast(new Forwarder(p.backend));
        p.backend.pipeline().addLast(new Forwarder(p.client));
        return p;
    }

    /** The client's socket delivered {@code buf}: returns how many bytes reached the backend's socket. */
    public int fromClient(ByteBuf buf) {
        return transfer(client, backend, buf);
    }

    /** The backend's socket delivered {@code buf}: returns how many bytes reached the client's socket. */
    public int fromBackend(ByteBuf buf) {
        return transfer(backend, client, buf);
    }

    /** Like {@link #fromClient}, but returns the bytes that reached the backend (for tests). */
    public byte[] bytesFromClient(ByteBuf buf) {
        return collect(client, backend, buf);
    }

    /** Like {@link #fromBackend}, but returns the bytes that reached the client (for tests). */
    public byte[] bytesFromBackend(ByteBuf buf) {
        return collect(backend, client, buf);
    }

    private static int transfer(EmbeddedChannel from, EmbeddedChannel to, ByteBuf buf) {
        from.pipeline().fireChannelRead(buf);
        from.pipeline().fireChannelReadComplete();
        int bytes = 0;
        ByteBuf out;
        while ((out = to.readOutbound()) != null) {
            bytes += out.readableBytes();
            out.release();
        }
        return bytes;
    }

    private static byte[] collect(EmbeddedChannel from, EmbeddedChannel to, ByteBuf buf) {
        from.pipeline().fireChannelRead(buf);
        from.pipeline().fireChannelReadComplete();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuf out;
        while ((out = to.readOutbound()) != null) {
            bytes.writeBytes(ByteBufUtil.getBytes(out));
            out.release();
        }
        return bytes.toByteArray();
    }

    /** The client hangs up first (the relay then returns the backend to the pool), then the backend. */
    @Override
    public void close() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
        if (metrics != null) {
            metrics.close();
        }
    }

    private static final class Forwarder extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Forwarder(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }
    }
}
