package dev.meridian.protocol.codec;

import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The build-wide leak gate: fails a test class when Netty reports a leaked resource. Paranoid
 * detection alone only logs a "LEAK:" line when a lost buffer is garbage-collected; the
 * {@link ReportingLeakDetector} queues those reports, and after the test class this extension
 * collects garbage, lets the detector poll, and fails the class on any report. (Per class, not
 * per test: a GC per test is too slow. The report's access records name the test method that
 * touched the buffer.)
 *
 * <p>Every test class of both modules gets it: it is listed in {@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension} (shipped to the proxy module in
 * this module's test-jar) and the parent pom turns on Jupiter's extension autodetection, next to
 * the paranoid level and the detector class. A leak that surfaces only while the next class
 * starts fails that class, naming itself as an earlier class's leak: never dropped.
 *
 * <p>Only leak-aware buffers are watched: allocate test input with {@code Unpooled.directBuffer()}
 * (as {@link Wire#buf} does), not {@code Unpooled.buffer()} or {@code wrappedBuffer}: unpooled heap
 * buffers are never tracked.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    static final String DETECTOR_PROPERTY = "io.netty.customResourceLeakDetector";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("run tests with -Dio.netty.leakDetection.level=paranoid");
        }
        Unpooled.directBuffer(1).release(); // makes Netty build its ByteBuf detector, if not yet
        if (!ReportingLeakDetector.installed()) {
            throw new IllegalStateException("run tests with -D" + DETECTOR_PROPERTY + "="
                    + ReportingLeakDetector.class.getName() + " (Netty did not load it)");
        }
        collectAndPoll();
        failOn(ReportingLeakDetector.drain(), "reported before this class started, so by an earlier one");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        collectAndPoll();
        failOn(ReportingLeakDetector.drain(), "reported after this class ran");
    }

    private static void failOn(List<String> leaks, String when) {
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty resource leak(s) " + when + ":\n"
                    + String.join("\n", leaks));
        }
    }

    /**
     * Lost resources are reported when their detector next looks, after their GC; the reference
     * handler thread needs a moment to enqueue their phantom references first.
     */
    private static void collectAndPoll() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ReportingLeakDetector.pollAll();
        }
    }
}
