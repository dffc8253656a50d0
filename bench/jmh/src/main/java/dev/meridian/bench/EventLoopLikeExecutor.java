package dev.meridian.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as Netty {@code FastThreadLocalThread}s, like event-loop
 * threads. It matters for allocation: Netty 4.2 recycles its per-write objects (the outbound
 * buffer's entries, pooled slices) only on such threads, so on a plain JMH thread a write
 * allocates 64 bytes that no server thread ever would. Selected with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=} this class (see {@link #JVM_ARGS});
 * JMH calls the {@code (int, String)} constructor.
 */
public final class EventLoopLikeExecutor extends ThreadPoolExecutor {
    /** For {@code @Fork(jvmArgsAppend = ...)}: this executor, and no leak detection (benchmarks measure, tests check). */
    public static final String EXECUTOR = "-Djmh.executor=CUSTOM";
    public static final String EXECUTOR_CLASS = "-Djmh.executor.class=dev.meridian.bench.EventLoopLikeExecutor";
    public static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    public EventLoopLikeExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
