package dev.meridian.proxy.ops;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin console asks of the server as a whole: SUSPEND / RESUME of client reads, and
 * SHUTDOWN (the same graceful drain as SIGTERM, on a thread of its own).
 */
public final class ServerControl {
    private static final Logger LOG = LoggerFactory.getLogger(ServerControl.class);
    /** The console handler's name in a client pipeline: the console is never suspended. */
    public static final String CONSOLE = "console";

    private final ChannelGroup clients;
    private final Consumer<Duration> drainAndClose;
    private volatile Duration drainTimeout = Duration.ofSeconds(30);
    private volatile boolean suspended;

    /** @param drainAndClose drains for the given time, then closes the server (blocking) */
    public ServerControl(ChannelGroup clients, Consumer<Duration> drainAndClose) {
        this.clients = clients;
        this.drainAndClose = drainAndClose;
    }

    /** How long SHUTDOWN lets sessions finish ({@code run --drain-timeout}). */
    public void drainTimeout(Duration timeout) {
        this.drainTimeout = timeout;
    }

    /** Stops reading from every client connection except admin consoles; returns how many. */
    public synchronized int suspend() {
        suspended = true;
        int n = 0;
        for (Channel ch : clients) {
            if (ch.pipeline().get(CONSOLE) == null && ch.pipeline().get(SuspendGate.NAME) == null) {
                ch.eventLoop().execute(() -> gate(ch));
                n++;
            }
        }
        return n;
    }

    /**
     * Puts the gate first, then withdraws the read the session already asked for: turning
     * auto-read on and off again makes the transport forget a pending read (Netty's
     * {@code autoReadCleared}); the read that turning it on issues is the one the gate holds.
     */
    private static void gate(Channel ch) {
        if (!ch.isActive() || ch.pipeline().get(SuspendGate.NAME) != null || ch.pipeline().get(CONSOLE) != null) {
            return;
        }
        ch.pipeline().addFirst(SuspendGate.NAME, new SuspendGate());
        ch.config().setAutoRead(true);
        ch.config().setAutoRead(false);
    }

    /** Reads again wherever SUSPEND stopped them. */
    public synchronized void resume() {
        suspended = false;
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> {
                if (ch.pipeline().get(SuspendGate.NAME) != null) {
                    ch.pipeline().remove(SuspendGate.NAME);
                }
            });
        }
    }

    public boolean suspended() {
        return suspended;
    }

    /** Starts the drain and returns at once (the console answers before its connection is drained). */
    public void shutdown() {
        Duration timeout = drainTimeout;
        LOG.info("SHUTDOWN from the admin console: draining for up to {} ms", timeout.toMillis());
        Thread t = new Thread(() -> drainAndClose.accept(timeout), "meridian-admin-shutdown");
        t.setDaemon(false);
        t.start();
    }
}
