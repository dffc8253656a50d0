package dev.meridian.protocol.codec;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reports a ByteBuf leak. Paranoid detection alone only logs a "LEAK:"
 * line when a lost buffer is garbage-collected; this extension listens for those reports, and
 * after the test class collects garbage and lets the detector poll, so a leak fails the class
 * rather than scrolling by in the log. (Per class, not per test: a GC per test is too slow. The
 * report's access records name the test method that touched the buffer.)
 *
 * <p>Only leak-aware buffers are watched: allocate test input with {@code Unpooled.directBuffer()}
 * (as {@link Wire#buf} does), not {@code Unpooled.buffer()} or {@code wrappedBuffer}: unpooled heap buffers are never tracked.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    static {
        listenToByteBufLeaks();
    }

    private static void listenToByteBufLeaks() {
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
            detector.setLeakListener((type, records) -> LEAKS.add(type + " leaked:\n" + records));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot hook Netty's ByteBuf leak detector", e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("run tests with -Dio.netty.leakDetection.level=paranoid");
        }
        collectAndPoll();
        LEAKS.clear(); // leaks of earlier classes were reported there
    }

    @Override
    public void afterAll(ExtensionContext context) {
        collectAndPoll();
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s):\n" + String.join("\n", leaks));
        }
    }

    /** Lost buffers are reported when the detector tracks the next buffer after their GC. */
    private static void collectAndPoll() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10); // the reference handler enqueues phantom references
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Unpooled.directBuffer(1).release();
        }
    }
}
