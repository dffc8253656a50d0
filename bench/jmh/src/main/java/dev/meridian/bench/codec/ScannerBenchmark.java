package dev.meridian.bench.codec;

import dev.meridian.bench.EventLoopLikeExecutor;
import dev.meridian.protocol.codec.MessageScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link MessageScanner}, the relay's only look at the bytes: one scan per receive buffer, as
 * the relay does it. Scores are per protocol message ({@code @OperationsPerInvocation} is the
 * buffer's message count); the listener sums what it is told so nothing is optimised away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopLikeExecutor.EXECUTOR, EventLoopLikeExecutor.EXECUTOR_CLASS,
        EventLoopLikeExecutor.NO_LEAK_DETECTION})
public class ScannerBenchmark {
    private final ByteBuf[] buffers = new ByteBuf[Traffic.values().length];
    private long seen;
    private MessageScanner fromClient;
    private MessageScanner fromBackend;

    @Setup
    public void setUp() {
        for (Traffic t : Traffic.values()) {
            buffers[t.ordinal()] = t.buffer(PooledByteBufAllocator.DEFAULT);
        }
        fromClient = new MessageScanner(1 << 30, this::count);
        fromBackend = new MessageScanner(Integer.MAX_VALUE, this::count);
    }

    private void count(byte type, int length, int firstBodyByte) {
        seen += type + length + firstBodyByte;
    }

    @TearDown
    public void tearDown() {
        for (ByteBuf b : buffers) {
            b.release();
        }
    }

    private long scan(MessageScanner scanner, Traffic t) {
        scanner.scan(buffers[t.ordinal()]);
        return seen;
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public long clientSimple() {
        return scan(fromClient, Traffic.CLIENT_SIMPLE);
    }

    @Benchmark
    @OperationsPerInvocation(5)
    public long clientExtended() {
        return scan(fromClient, Traffic.CLIENT_EXTENDED);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public long backendSimple() {
        return scan(fromBackend, Traffic.BACKEND_SIMPLE);
    }

    @Benchmark
    @OperationsPerInvocation(6)
    public long backendExtended() {
        return scan(fromBackend, Traffic.BACKEND_EXTENDED);
    }

    @Benchmark
    @OperationsPerInvocation(103)
    public long backendRows() {
        return scan(fromBackend, Traffic.BACKEND_ROWS);
    }
}
