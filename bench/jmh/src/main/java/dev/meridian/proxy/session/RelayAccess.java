package dev.meridian.proxy.session;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.pool.BackendPool;
import dev.meridian.proxy.backend.pool.PooledConnection;
import dev.meridian.proxy.config.LimitsConfig;
import dev.meridian.proxy.metrics.SessionMeters;
import dev.meridian.proxy.ops.SessionTally;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark-only door into the session package (same package name, another jar): starts the
 * production relay ({@link RelaySession#start}) on two channels, exactly as
 * {@code SessionOpener} does once a session is authenticated and has its backend. The setup
 * phase's handlers that {@code start} removes are stood in for by empty ones.
 */
public final class RelayAccess {
    private RelayAccess() {
    }

    public static void start(Channel client, PooledConnection lease, BackendPool pool, int maxMessageBytes,
                             SessionMeters meters, Runnable onEnd) {
        client.pipeline().addLast(ClientPipeline.DECODER, new ChannelInboundHandlerAdapter());
        client.pipeline().addLast(ClientPipeline.AUTH, new ChannelInboundHandlerAdapter());
        lease.channel().pipeline().addLast(BackendConnector.DECODER, new ChannelInboundHandlerAdapter());
        LimitsConfig d = LimitsConfig.DEFAULT;
        RelaySession.start(1L, client, lease, pool, List.of(),
                new LimitsConfig(d.maxClientConnections(), d.startupTimeout(), maxMessageBytes, d.idleTransactionTimeout()),
                meters, new SessionTally(), new LongAdder(), onEnd);
    }
}
