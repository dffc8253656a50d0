package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.bench.codec.DecoderBenchmark;
import dev.meridian.bench.codec.ScannerBenchmark;
import dev.meridian.bench.codec.Traffic;
import dev.meridian.bench.relay.RelayBenchmark;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Every benchmark method runs a few thousand times, setup to teardown, under the build's leak
 * gate: a benchmark that throws, leaks, or stops relaying fails the build instead of rotting
 * until someone runs it. (No timing here: numbers come from bench/jmh.sh.)
 */
class BenchmarksRunTest {
    private static final int RUNS = 100;

    @ParameterizedTest
    @ValueSource(strings = {"reused", "allocated"})
    void relayBenchmarksRelayWholeRoundTrips(String input) {
        RelayBenchmark b = new RelayBenchmark();
        b.input = input;
        b.setUp();
        try {
            int simple = size(Traffic.CLIENT_SIMPLE) + size(Traffic.BACKEND_SIMPLE);
            int extended = size(Traffic.CLIENT_EXTENDED) + size(Traffic.BACKEND_EXTENDED);
            int rows = size(Traffic.CLIENT_SIMPLE) + size(Traffic.BACKEND_ROWS);
            for (int i = 0; i < RUNS; i++) {
                assertThat(b.relaySimple()).isEqualTo(simple);
                assertThat(b.baselineSimple()).isEqualTo(simple);
                assertThat(b.relayExtended()).isEqualTo(extended);
                assertThat(b.baselineExtended()).isEqualTo(extended);
                assertThat(b.relayRows()).isEqualTo(rows);
                assertThat(b.baselineRows()).isEqualTo(rows);
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void scannerBenchmarksSeeEveryMessage() {
        ScannerBenchmark b = new ScannerBenchmark();
        b.setUp();
        try {
            long last = 0;
            for (int i = 0; i < RUNS; i++) {
                for (long seen : new long[] {b.clientSimple(), b.clientExtended(), b.backendSimple(),
                        b.backendExtended(), b.backendRows()}) {
                    assertThat(seen).isGreaterThan(last);
                    last = seen;
                }
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void decoderBenchmarksDecodeAndReleaseEveryMessage() {
        DecoderBenchmark b = new DecoderBenchmark();
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        b.setUp();
        try {
            for (int i = 0; i < RUNS; i++) {
                b.frontendSimple(bh);
                b.frontendExtended(bh);
                b.backendSimple(bh);
                b.backendExtended(bh);
                b.backendRows(bh);
            }
        } finally {
            b.tearDown();
            bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
        }
    }

    private static int size(Traffic t) {
        ByteBuf b = t.buffer(PooledByteBufAllocator.DEFAULT);
        try {
            return b.readableBytes();
        } finally {
            b.release();
        }
    }
}
