package dev.meridian.bench.codec;

import dev.meridian.bench.EventLoopLikeExecutor;
import dev.meridian.protocol.codec.BackendDecoder;
import dev.meridian.protocol.codec.FrontendDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decoders the setup phases use (a Frame or a record per message), on the same buffers as
 * {@link ScannerBenchmark}: what relaying would cost if it decoded instead of scanning. Each
 * decoder sits alone in an {@link EmbeddedChannel}; every decoded message is consumed and
 * released. Scores are per protocol message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopLikeExecutor.EXECUTOR, EventLoopLikeExecutor.EXECUTOR_CLASS,
        EventLoopLikeExecutor.NO_LEAK_DETECTION})
public class DecoderBenchmark {
    private final ByteBuf[] buffers = new ByteBuf[Traffic.values().length];
    private EmbeddedChannel frontend;
    private EmbeddedChannel backend;

    @Setup
    public void setUp() {
        for (Traffic t : Traffic.values()) {
            buffers[t.ordinal()] = t.buffer(PooledByteBufAllocator.DEFAULT);
        }
        frontend = new EmbeddedChannel(new FrontendDecoder(1 << 30));
        backend = new EmbeddedChannel(new BackendDecoder(Integer.MAX_VALUE));
        frontend.writeInbound(startupMessage());
        ReferenceCountUtil.release(frontend.readInbound()); // now decoding regular messages
    }

    private static ByteBuf startupMessage() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
        b.writeInt(0).writeInt(196608);
        for (String s : new String[] {"user", "bench", "database", "bench"}) {
            b.writeBytes(s.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        }
        b.writeByte(0);
        return b.setInt(0, b.readableBytes());
    }

    @TearDown
    public void tearDown() {
        frontend.finishAndReleaseAll();
        backend.finishAndReleaseAll();
        for (ByteBuf b : buffers) {
            b.release();
        }
    }

    /** One read: the buffer goes in (the decoder releases it once consumed), every message comes out. */
    private static void decode(EmbeddedChannel ch, ByteBuf buf, Blackhole bh) {
        buf.retain().readerIndex(0);
        ch.pipeline().fireChannelRead(buf);
        ch.pipeline().fireChannelReadComplete();
        Object m;
        while ((m = ch.readInbound()) != null) {
            bh.consume(m);
            ReferenceCountUtil.release(m);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public void frontendSimple(Blackhole bh) {
        decode(frontend, buffers[Traffic.CLIENT_SIMPLE.ordinal()], bh);
    }

    @Benchmark
    @OperationsPerInvocation(5)
    public void frontendExtended(Blackhole bh) {
        decode(frontend, buffers[Traffic.CLIENT_EXTENDED.ordinal()], bh);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public void backendSimple(Blackhole bh) {
        decode(backend, buffers[Traffic.BACKEND_SIMPLE.ordinal()], bh);
    }

    @Benchmark
    @OperationsPerInvocation(6)
    public void backendExtended(Blackhole bh) {
        decode(backend, buffers[Traffic.BACKEND_EXTENDED.ordinal()], bh);
    }

    @Benchmark
    @OperationsPerInvocation(103)
    public void backendRows(Blackhole bh) {
        decode(backend, buffers[Traffic.BACKEND_ROWS.ordinal()], bh);
    }
}
