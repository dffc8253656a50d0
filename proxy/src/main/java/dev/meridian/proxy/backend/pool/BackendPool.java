package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.codec.BackendDecoder;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.PoolConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Warm, authenticated backend connections, lent to one client session at a time (session
 * pooling). Idle connections are kept per event loop, so a session's client and backend
 * channels always share a thread; {@code pool.max_per_backend} caps each backend's connections
 * across loops. When a backend is at its cap, a session waits (up to {@code wait}) for a slot,
 * then is refused with 53300.
 */
public final class BackendPool {
    private final BackendConnector connector;
    private final Supplier<PoolConfig> config;
    private final int maxMessageBytes;
    private final Map<String, Slots> slots = new ConcurrentHashMap<>();
    /** Per event loop; each inner map is only touched on its own loop. */
    private final Map<EventLoop, Map<PoolKey, ArrayDeque<PooledConnection>>> idle = new ConcurrentHashMap<>();

    public BackendPool(BackendConnector connector, Supplier<PoolConfig> config, int maxMessageBytes) {
        this.connector = connector;
        this.config = config;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A connection for one session: an idle one with the same key on this loop, else a new one. */
    public Future<PooledConnection> acquire(EventLoop loop, BackendConfig backend, StartupMessage startup,
                                            BackendCredentials credentials, Duration wait) {
        Promise<PooledConnection> promise = loop.newPromise();
        Waiter waiter = new Waiter(loop, backend, startup, credentials, new PoolKey(backend.name(), startup.parameters()),
                promise);
        tryAcquire(waiter);
        if (!promise.isDone()) {
            loop.schedule(() -> {
                if (slots(backend.name()).forget(waiter)) {
                    promise.tryFailure(new PoolExhaustedException(backend, config.get().maxPerBackend(), wait));
                }
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        return promise;
    }

    private void tryAcquire(Waiter w) {
        PooledConnection idleOne = pollIdle(w.loop(), w.key());
        Slots s = slots(w.backend().name());
        if (idleOne != null) {
            idleOne.markReused();
            s.activated();
            w.promise().trySuccess(idleOne);
        } else if (s.reserve(config.get().maxPerBackend())) {
            connect(w, s);
        } else {
            s.enqueue(w);
            evictIdleElsewhere(w.backend().name());
        }
    }

    /**
     * At the cap, an idle connection of the same backend (any key, any loop) is worth less than
     * a waiting session: close one, and its slot goes to the waiter.
     */
    private void evictIdleElsewhere(String backend) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        idle.forEach((loop, byKey) -> loop.execute(() -> {
            if (done.get()) {
                return;
            }
            for (ArrayDeque<PooledConnection> q : byKey.values()) {
                PooledConnection c = q.peekFirst();
                if (c != null && c.backend().name().equals(backend) && done.compareAndSet(false, true)) {
                    q.pollFirst();
                    slots(backend).unidled();
                    c.channel().close();
                    return;
                }
            }
        }));
    }

    private void connect(Waiter w, Slots s) {
        connector.connect(w.loop(), w.backend(), w.startup(), w.credentials()).addListener(f -> {
            if (!f.isSuccess()) {
                s.freed(this::retry);
                w.promise().tryFailure(f.cause());
                return;
            }
            BackendConnection conn = (BackendConnection) f.getNow();
            conn.channel().closeFuture().addListener(c -> s.freed(this::retry));
            s.activated();
            if (!w.promise().trySuccess(new PooledConnection(conn, w.key()))) {
                conn.channel().close();
                s.deactivated();
            }
        });
    }

    private void retry(Waiter w) {
        w.loop().execute(() -> tryAcquire(w));
    }

    private PooledConnection pollIdle(EventLoop loop, PoolKey key) {
        ArrayDeque<PooledConnection> q = idle.computeIfAbsent(loop, l -> new HashMap<>()).get(key);
        while (q != null && !q.isEmpty()) {
            PooledConnection c = q.pollLast();
            if (c.channel().isActive()) {
                c.channel().pipeline().remove(IdleHandler.NAME);
                slots(c.backend().name()).unidled();
                return c;
            }
        }
        return null;
    }

    /**
     * A session is done with its connection. A reusable one is reset and kept idle (or given to
     * a waiting session); anything else is closed.
     */
    public void release(PooledConnection c, boolean reusable) {
        Slots s = slots(c.backend().name());
        s.deactivated();
        if (!reusable || !c.channel().isActive()) {
            c.channel().close();
            return;
        }
        Promise<Void> reset = c.channel().eventLoop().newPromise();
        if (c.channel().pipeline().get(BackendConnector.DECODER) == null) {
            c.channel().pipeline().addLast(BackendConnector.DECODER, new BackendDecoder(maxMessageBytes));
        }
        c.channel().pipeline().addLast(IdleHandler.NAME, new IdleHandler(c, config.get().resetQuery(), reset));
        reset.addListener(f -> {
            if (f.isSuccess()) {
                keepIdle(c, s);
            }
        });
    }

    private void keepIdle(PooledConnection c, Slots s) {
        if (s.hasWaiters()) {
            // Someone is waiting for this backend, maybe on another loop: free the slot for them.
            c.channel().close();
            return;
        }
        EventLoop loop = c.channel().eventLoop();
        idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(c.key(), k -> new ArrayDeque<>()).addLast(c);
        s.idled();
        long idleMs = config.get().idleTimeout().toMillis();
        loop.schedule(() -> expire(c), idleMs, TimeUnit.MILLISECONDS);
    }

    private void expire(PooledConnection c) {
        ArrayDeque<PooledConnection> q = idle.get(c.channel().eventLoop()).get(c.key());
        if (q != null && q.remove(c)) {
            slots(c.backend().name()).unidled();
            c.channel().close();
        }
    }

    private Slots slots(String backend) {
        return slots.computeIfAbsent(backend, b -> new Slots());
    }

    /** Idle connections of a backend, for metrics and the admin console. */
    public IntSupplier idleCount(String backend) {
        return () -> slots(backend).idle();
    }

    /** Connections of a backend lent to sessions right now. */
    public IntSupplier activeCount(String backend) {
        return () -> slots(backend).active();
    }
}
