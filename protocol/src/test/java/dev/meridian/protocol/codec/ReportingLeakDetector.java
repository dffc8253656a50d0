package dev.meridian.protocol.codec;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The leak detector Netty builds for every resource type in a test run, named by
 * {@code -Dio.netty.customResourceLeakDetector} in the parent pom. It reports like Netty's own
 * (a "LEAK:" log line) and also queues each report for {@link LeakCheck}, so a leak fails a
 * test instead of scrolling by in the log. Going through Netty's factory, rather than hooking
 * one detector, covers every kind of leak: ByteBufs, HAProxyMessages, SSL engines.
 */
public final class ReportingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();
    /** One detector per resource type, each a static singleton of its type: a handful. */
    private static final Set<ReportingLeakDetector<?>> ALL = ConcurrentHashMap.newKeySet();
    private static final Object PROBE = new Object();

    /** The constructor Netty's factory uses for a custom detector class. */
    public ReportingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        ALL.add(this);
    }

    /**
     * The constructor Netty's factory looks up first (and logs an ERROR when it is missing); it
     * passes a maxActive that Netty no longer uses.
     */
    @SuppressWarnings("deprecation")
    public ReportingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** True once Netty has built a detector of this class, i.e. the system property took effect. */
    static boolean installed() {
        return !ALL.isEmpty();
    }

    /**
     * Makes every detector look at the objects the GC found unreachable since it last looked.
     * A detector only does that when it tracks a new object, so each tracks (and at once
     * closes) a probe: without this, a lost HAProxyMessage would wait for the next one.
     */
    @SuppressWarnings("unchecked")
    static void pollAll() {
        for (ReportingLeakDetector<?> d : ALL) {
            ResourceLeakTracker<Object> probe = ((ReportingLeakDetector<Object>) d).track(PROBE);
            if (probe != null) {
                probe.close(PROBE);
            }
        }
    }

    /** The reports queued since the last call, oldest first. */
    static List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String r; (r = REPORTS.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    /** Report even when logging is configured off: the gate must not depend on a log level. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        REPORTS.add(resourceType + " leaked:" + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        REPORTS.add(resourceType + " leaked (no access records)");
    }
}
