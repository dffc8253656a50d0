package dev.meridian.proxy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Operating-system signals: SIGHUP reloads. (SIGTERM/SIGINT go through the shutdown hook.) */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Runs {@code onHangup} on each SIGHUP, off the signal thread's critical path. */
    public static void onHangup(Runnable onHangup) {
        try {
            Signal.handle(new Signal("HUP"), sig -> new Thread(onHangup, "meridian-reload").start());
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP is not available on this platform: reload with RELOAD on the admin console");
        }
    }
}
