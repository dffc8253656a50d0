package dev.meridian.bench.relay;

import dev.meridian.bench.EventLoopLikeExecutor;
import dev.meridian.bench.codec.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay path in steady state: one request read from the client and its answer read from the
 * backend, through Meridian's relay ({@code relay*}) and through a forward-only baseline on the
 * same harness ({@code baseline*}). Scores are per relayed protocol message; with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per relayed message. Times are
 * sampled per invocation ({@code SampleTime}): on a shared machine, preemption makes the mean
 * meaningless long before it moves the median (p0.50), which is the number to compare.
 *
 * <p>{@code input=reused}: the same pooled direct buffer is delivered every time (retained), so
 * only the relay and Netty's pipeline can allocate. {@code input=allocated}: each read is a new
 * buffer from {@code ByteBufAllocator.DEFAULT} (the server's allocator) filled with the bytes, as
 * a socket read would be.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopLikeExecutor.EXECUTOR, EventLoopLikeExecutor.EXECUTOR_CLASS,
        EventLoopLikeExecutor.NO_LEAK_DETECTION})
public class RelayBenchmark {
    @Param({"reused", "allocated"})
    public String input;

    private final ByteBuf[] templates = new ByteBuf[Traffic.values().length];
    private boolean reuse;
    private RelayPair meridian;
    private RelayPair baseline;

    @Setup
    public void setUp() {
        reuse = input.equals("reused");
        for (Traffic t : Traffic.values()) {
            templates[t.ordinal()] = t.buffer(ByteBufAllocator.DEFAULT);
        }
        meridian = RelayPair.meridian();
        baseline = RelayPair.baseline();
    }

    @TearDown
    public void tearDown() {
        meridian.close();
        baseline.close();
        for (ByteBuf b : templates) {
            b.release();
        }
    }

    private ByteBuf read(Traffic t) {
        ByteBuf template = templates[t.ordinal()];
        if (reuse) {
            return template.retain();
        }
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(template.readableBytes());
        return b.writeBytes(template, template.readerIndex(), template.readableBytes());
    }

    private int roundTrip(RelayPair pair, Traffic request, Traffic answer) {
        return pair.fromClient(read(request)) + pair.fromBackend(read(answer));
    }

    /** Query; RowDescription, DataRow, CommandComplete, ReadyForQuery. */
    @Benchmark
    @OperationsPerInvocation(5)
    public int relaySimple() {
        return roundTrip(meridian, Traffic.CLIENT_SIMPLE, Traffic.BACKEND_SIMPLE);
    }

    @Benchmark
    @OperationsPerInvocation(5)
    public int baselineSimple() {
        return roundTrip(baseline, Traffic.CLIENT_SIMPLE, Traffic.BACKEND_SIMPLE);
    }

    /** Parse, Bind, Describe, Execute, Sync; ParseComplete, BindComplete, RowDescription, DataRow, CommandComplete, ReadyForQuery. */
    @Benchmark
    @OperationsPerInvocation(11)
    public int relayExtended() {
        return roundTrip(meridian, Traffic.CLIENT_EXTENDED, Traffic.BACKEND_EXTENDED);
    }

    @Benchmark
    @OperationsPerInvocation(11)
    public int baselineExtended() {
        return roundTrip(baseline, Traffic.CLIENT_EXTENDED, Traffic.BACKEND_EXTENDED);
    }

    /** Query; RowDescription, 100 DataRows, CommandComplete, ReadyForQuery, in one read. */
    @Benchmark
    @OperationsPerInvocation(104)
    public int relayRows() {
        return roundTrip(meridian, Traffic.CLIENT_SIMPLE, Traffic.BACKEND_ROWS);
    }

    @Benchmark
    @OperationsPerInvocation(104)
    public int baselineRows() {
        return roundTrip(baseline, Traffic.CLIENT_SIMPLE, Traffic.BACKEND_ROWS);
    }
}
