package dev.meridian.proxy.backend.pool;

import dev.meridian.protocol.codec.BackendDecoder;
import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.PoolConfig;
import dev.meridian.proxy.routing.HealthSnapshot;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
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
 * then is refused with 53300. {@link MinIdle} keeps plain connections warm ({@code pool.min_idle}),
 * which a session takes when no connection of its exact key is idle ({@link Adoption}).
 */
public final class BackendPool {
    private final BackendConnector connector;
    private final Supplier<PoolConfig> config;
    private final int maxMessageBytes;
    private final Map<String, Slots> slots = new ConcurrentHashMap<>();
    private final MinIdle minIdle;
    private final IdleConnections idle;
    private final ServerList servers = new ServerList();
    private final Retirement retirement = new Retirement();
    private final Handover handover;

    public BackendPool(BackendConnector connector, Supplier<PoolConfig> config, int maxMessageBytes) {
        this.connector = connector;
        this.config = config;
        this.maxMessageBytes = maxMessageBytes;
        this.minIdle = new MinIdle(this, config);
        this.idle = new IdleConnections(this::slots, config, minIdle, retirement);
        this.handover = new Handover(idle, this::slots, this::tryAcquire, this::lend, c -> park(c, null));
    }

    /** Starts keeping {@code pool.min_idle} connections warm on the loops sessions run on. */
    public void keepWarm(EventLoopGroup loops, Supplier<? extends HealthSnapshot> health, MeridianConfig current) {
        minIdle.start(loops, health, current);
    }

    /** The proxy is stopping: no more logins to keep pools warm. */
    public void stopKeepingWarm() {
        minIdle.stop();
    }

    /**
     * A reload: which pools are kept warm follows the new configuration; idle connections to a
     * backend whose server or login changed close at once (busy ones when their session ends),
     * and so do idle ones beyond a lowered {@code max_per_backend}.
     */
    public void reconfigure(MeridianConfig next) {
        retirement.configure(next.backends());
        idle.closeRetired();
        int max = next.pool().maxPerBackend();
        slots.forEach((name, s) -> {
            for (int i = s.surplus(max); i > 0; i--) {
                idle.evictOne(name);
            }
        });
        minIdle.configure(next);
    }

    /**
     * A connection for one session: an idle one with the same key on this loop, else a plain warm
     * one given the session's parameters, else a new one.
     */
    public Future<PooledConnection> acquire(EventLoop loop, BackendConfig backend, StartupMessage startup,
                                            BackendCredentials credentials, Duration wait) {
        return acquire(loop, backend, startup, credentials, wait, true);
    }

    /**
     * {@link #acquire}; {@code mayAdopt} false: never a plain warm connection given the
     * parameters by set_config, whose RESET / DISCARD ALL would return them to the server's
     * defaults instead of the startup values (a transaction pool's connections must reset to
     * exactly what its clients' startup packets say).
     */
    public Future<PooledConnection> acquire(EventLoop loop, BackendConfig backend, StartupMessage startup,
                                            BackendCredentials credentials, Duration wait, boolean mayAdopt) {
        Promise<PooledConnection> promise = loop.newPromise();
        Waiter waiter = new Waiter(loop, backend, startup, credentials, new PoolKey(backend.name(), startup.parameters()),
                promise);
        waiter.exactOnly(!mayAdopt);
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
        Slots s = slots(w.backend().name());
        // A walsender is never shared: replication sessions always log in fresh.
        PooledConnection exact = w.key().replication() ? null : idle.take(w.loop(), w.key());
        // Checked in order of cost: most sessions find an exact match or no plain one idle.
        PooledConnection plain = exact == null && !w.exactOnly() && idle.hasPlain(w.loop())
                && Adoption.possible(w.key()) ? idle.take(w.loop(), WarmKey.of(w.key()).plain()) : null;
        if (exact != null) {
            s.activated();
            lend(w, exact);
        } else if (plain != null) {
            s.activated();
            adopt(w, plain);
        } else if (!w.key().replication() && s.idle() > 0 && w.lookElsewhere()) {
            handover.lendFromElsewhere(w, s);
        } else if (s.reserveOrEnqueue(config.get().maxPerBackend(), w)) {
            connect(w, s);
        } else {
            idle.evictOne(w.backend().name());
        }
    }

    private void lend(Waiter w, PooledConnection c) {
        c.markReused();
        minIdle.learn(w.backend(), w.credentials(), w.key(), w.loop());
        w.promise().trySuccess(c);
    }

    /** Gives a plain warm connection the session's parameters; if that fails, closes it and tries again. */
    private void adopt(Waiter w, PooledConnection plain) {
        // Values the server already reports need no set_config (only trusted after a reset query).
        String sql = Adoption.query(w.key(), config.get().resetQuery().isBlank() ? Map.of() : plain.parameterValues());
        if (sql == null) {
            plain.adopted = true;
            lend(w, plain);
            return;
        }
        Promise<Void> applied = w.loop().newPromise();
        plain.channel().pipeline().addLast(IdleHandler.NAME, new IdleHandler(plain, sql, applied));
        applied.addListener(f -> {
            if (f.isSuccess()) {
                plain.channel().pipeline().remove(IdleHandler.NAME);
                plain.adopted = true;
                lend(w, plain);
            } else {
                slots(plain.backend().name()).deactivated();
                plain.channel().close();
                w.exactOnly(true);
                tryAcquire(w);
            }
        });
    }

    private void connect(Waiter w, Slots s) {
        open(w.loop(), w.backend(), w.startup(), w.credentials(), w.key(), s).addListener(f -> {
            if (!f.isSuccess()) {
                if (!Crowding.makeRoom(f.cause(), w, s, idle)) {
                    w.promise().tryFailure(f.cause());
                }
                return;
            }
            PooledConnection c = (PooledConnection) f.getNow();
            s.activated();
            if (!w.key().replication()) {
                minIdle.learn(w.backend(), w.credentials(), w.key(), w.loop());
            }
            if (!w.promise().trySuccess(c)) {
                c.channel().close();
                s.deactivated();
            }
        });
    }

    /** Logs in on a slot already reserved; the slot is freed when the connection closes (or fails to open). */
    private Future<PooledConnection> open(EventLoop loop, BackendConfig backend, StartupMessage startup,
                                          BackendCredentials credentials, PoolKey key, Slots s) {
        Promise<PooledConnection> opened = loop.newPromise();
        connector.connect(loop, backend, startup, credentials).addListener(f -> {
            if (!f.isSuccess()) {
                s.freed(this::retry);
                opened.setFailure(f.cause());
                return;
            }
            PooledConnection c = new PooledConnection((BackendConnection) f.getNow(), key);
            servers.opened(c);
            c.channel().closeFuture().addListener(closed -> closed(c, s));
            opened.setSuccess(c);
        });
        return opened;
    }

    private void closed(PooledConnection c, Slots s) {
        idle.closed(c);
        s.freed(this::retry);
    }

    /**
     * A plain warm connection for {@link MinIdle}, on a free slot; null when the backend is at
     * its cap or sessions are waiting for one (they come first).
     */
    Future<PooledConnection> prewarm(EventLoop loop, BackendConfig backend, BackendCredentials credentials, PoolKey plain) {
        Slots s = slots(backend.name());
        if (s.hasWaiters() || !s.reserve(config.get().maxPerBackend())) {
            return null;
        }
        StartupMessage startup = new StartupMessage(StartupMessage.PROTOCOL_3_0, plain.startupParameters());
        Future<PooledConnection> f = open(loop, backend, startup, credentials, plain, s);
        f.addListener(done -> {
            if (done.isSuccess()) {
                park((PooledConnection) done.getNow(), null);
            }
        });
        return f;
    }

    private void retry(Waiter w) {
        w.loop().execute(() -> tryAcquire(w));
    }

    /**
     * A session is done with its connection. A reusable one is reset and kept idle (or given to
     * a waiting session); anything else is closed. An adopted connection is only kept if the
     * reset query takes the client's parameters off it again.
     */
    public void release(PooledConnection c, boolean reusable) {
        Slots s = slots(c.backend().name());
        s.deactivated();
        c.shared = false;
        String resetQuery = config.get().resetQuery();
        if (!reusable || c.retired || c.key().replication() || !c.channel().isActive() || (c.adopted && resetQuery.isBlank())
                || retirement.retired(c)) {
            c.channel().close();
            return;
        }
        c.adopted = false;
        if (c.channel().pipeline().get(BackendConnector.DECODER) == null) {
            c.channel().pipeline().addLast(BackendConnector.DECODER, new BackendDecoder(maxMessageBytes));
        }
        park(c, resetQuery);
    }

    /** Runs {@code query} (none: nothing) under an IdleHandler, then keeps the connection idle. */
    private void park(PooledConnection c, String query) {
        Promise<Void> reset = c.channel().eventLoop().newPromise();
        c.channel().pipeline().addLast(IdleHandler.NAME, new IdleHandler(c, query, reset));
        reset.addListener(f -> {
            if (f.isSuccess() && !handover.handToWaiter(c)) {
                idle.keep(c);
            }
        });
    }

    /** Idle connections of {@code key} on {@code loop}; call on that loop. */
    int idleCount(EventLoop loop, PoolKey key) {
        return idle.count(loop, key);
    }

    private Slots slots(String backend) {
        return slots.computeIfAbsent(backend, b -> new Slots());
    }

    /** Every open connection, for the admin console (SHOW SERVERS, RECONNECT). */
    public ServerList servers() {
        return servers;
    }

    /** Idle connections of a backend, for metrics and the admin console. */
    public IntSupplier idleCount(String backend) {
        return () -> slots(backend).idle();
    }

    /** Sessions (or transaction pools) are waiting for a connection to {@code backend}: it is at its cap. */
    public boolean waiting(String backend) {
        return slots(backend).hasWaiters();
    }

    /** Connections of a backend lent to sessions right now. */
    public IntSupplier activeCount(String backend) {
        return () -> slots(backend).active();
    }
}
