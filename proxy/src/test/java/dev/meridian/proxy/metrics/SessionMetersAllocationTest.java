package dev.meridian.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Clock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The relay calls these per message and per read: they must not allocate. Measured with the
 * JVM's per-thread allocation counter (bytes, not time), against the real Prometheus registry.
 */
class SessionMetersAllocationTest {
    private static final int ROUNDS = 200_000;

    @Test
    void queryTimingAndByteCountingAllocateNothingPerMessage() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MetricsFixture f = new MetricsFixture()) {
            MeridianMetrics metrics = new MeridianMetrics(() -> f.config, Clock.SYSTEM);
            EmbeddedChannel client = new EmbeddedChannel();
            metrics.clientConnected(client);
            SessionMeters s = metrics.sessionStarted(client, f.backend("iad-1"), "orders");
            relay(s, ROUNDS); // warm up: class loading, JIT, first-use initialisation
            long before = threads.getCurrentThreadAllocatedBytes();
            relay(s, ROUNDS);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated over %d round trips", ROUNDS).isLessThan(4096);
            metrics.close();
        }
    }

    /** One extended-protocol round trip and one simple query, with their reads, per round. */
    private static void relay(SessionMeters s, int rounds) {
        for (int i = 0; i < rounds; i++) {
            s.fromClient(64);
            s.clientMessage((byte) 'P');
            s.clientMessage((byte) 'B');
            s.clientMessage((byte) 'E');
            s.clientMessage((byte) 'S');
            s.fromBackend(128);
            s.backendMessage((byte) '1');
            s.backendMessage((byte) '2');
            s.backendMessage((byte) 'D');
            s.backendMessage((byte) 'C');
            s.backendMessage((byte) 'Z');
            s.clientMessage((byte) 'Q');
            s.backendMessage((byte) 'Z');
        }
    }
}
