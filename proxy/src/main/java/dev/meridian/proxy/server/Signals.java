package dev.meridian.proxy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Operating-system signals: SIGHUP reloads; SIGTERM and SIGINT drain, then exit 0. */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /**
     * Runs {@code onTerminate} on the first SIGTERM or SIGINT instead of the JVM's default exit,
     * so a drain can finish and the process exit 0.
     */
    public static void onTerminate(Runnable onTerminate) {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (once.compareAndSet(false, true)) {
                        new Thread(onTerminate, "meridian-drain").start();
                    }
                });
            } catch (IllegalArgumentException e) {
                LOG.warn("SIG{} is not available on this platform", name);
            }
        }
    }

    /** Runs {@code onHangup} on each SIGHUP, off the signal thread's critical path. */
    public static void onHangup(Runnable onHangup) {
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), sig -> new Thread(onHangup, "meridian-reload").start());
            if (before == SignalHandler.SIG_IGN) {
                // Inherited as ignored (nohup, some supervisors): the JVM then leaves it ignored.
                LOG.warn("SIGHUP was ignored when Meridian started (nohup?) and stays ignored: "
                        + "reload with RELOAD on the admin console");
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP is not available on this platform: reload with RELOAD on the admin console");
        }
    }
}
