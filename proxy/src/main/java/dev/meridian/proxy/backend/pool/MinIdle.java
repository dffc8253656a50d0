package dev.meridian.proxy.backend.pool;

import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.backend.BackendException;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.config.PoolConfig;
import dev.meridian.proxy.routing.HealthSnapshot;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pool.min_idle}: keeps that many plain, logged-in connections idle per pool (backend,
 * backend user, backend database), so the first client of a far region skips the login round
 * trips. The pools kept warm are
 * <ul>
 * <li>configured: every backend with a user of its own, for every database rule whose name is a
 *     literal (no glob) and whose regions include the backend's, from start and after each reload;
 * <li>learned: any pool a client session has used since, as PgBouncer's min_pool_size applies
 *     to pools that exist. For a backend without a user of its own (passthrough) the pool keeps
 *     the credentials the last client of that user logged in with (its SCRAM ClientKey, md5
 *     hash or nothing, in memory only) and refills with them; when the backend refuses them,
 *     the pool is forgotten until a client uses it again.
 * </ul>
 * A learned pool stays until a reload changes its backend's definition or sets min_idle to 0,
 * or until the backend refuses its credentials.
 * The connections are spread evenly over the event loops (a session only takes idle connections
 * of its own loop), the remainder starting at a loop chosen per pool. Each loop tops up its own
 * share once a second, and at once when a warm connection is taken or lost: only while the
 * backend is up in the health snapshot, within {@code pool.max_per_backend}, never while
 * sessions wait for a slot, with {@link Warmth} limiting concurrent logins and backing off after
 * failures. Idle expiry spares a loop's share ({@link #keeps}).
 */
final class MinIdle {
    private static final Logger LOG = LoggerFactory.getLogger(MinIdle.class);
    private static final long TICK_MS = 1000;

    private final BackendPool pool;
    private final Supplier<PoolConfig> config;
    private final Map<WarmKey, Warmth> pools = new ConcurrentHashMap<>();
    private volatile List<EventLoop> loops = List.of();
    private volatile Supplier<? extends HealthSnapshot> health = () -> name -> HealthSnapshot.UNKNOWN;
    private volatile Map<String, BackendConfig> backends = Map.of();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private volatile boolean stopped;

    MinIdle(BackendPool pool, Supplier<PoolConfig> config) {
        this.pool = pool;
        this.config = config;
    }

    /** Starts topping up on every loop of {@code group}. */
    synchronized void start(EventLoopGroup group, Supplier<? extends HealthSnapshot> health, MeridianConfig current) {
        List<EventLoop> list = new ArrayList<>();
        for (EventExecutor e : group) {
            list.add((EventLoop) e);
        }
        this.health = health;
        this.loops = List.copyOf(list);
        configure(current);
        for (int i = 0; i < list.size(); i++) {
            int index = i;
            EventLoop loop = list.get(i);
            ticks.add(loop.scheduleWithFixedDelay(() -> refill(loop, index), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** The proxy is stopping: no more logins for warmth. */
    synchronized void stop() {
        stopped = true;
        ticks.forEach(t -> t.cancel(false));
        ticks.clear();
    }

    /**
     * At start and after a reload: the configured pools of {@code next}; learned pools stay while
     * their backend's definition is unchanged.
     */
    synchronized void configure(MeridianConfig next) {
        Map<String, BackendConfig> byName = new LinkedHashMap<>();
        next.backends().forEach(b -> byName.putIfAbsent(b.name(), b));
        backends = Map.copyOf(byName);
        int loopCount = loops.size();
        if (loopCount == 0) {
            return;
        }
        Map<WarmKey, BackendConfig> wanted = next.pool().minIdle() == 0 ? Map.of() : configuredPools(next);
        pools.values().removeIf(w -> next.pool().minIdle() == 0 || !w.backend().equals(byName.get(w.backend().name()))
                || (w.configured() && !wanted.containsKey(w.key())));
        wanted.forEach((key, b) -> pools.compute(key, (k, old) -> old != null && old.configured() ? old
                : new Warmth(key, b, BackendCredentials.password(b.user(), b.password()), true, loopCount)));
        loops.forEach(this::kick);
    }

    /**
     * Backend × literal database rule (one that routes its name: no earlier rule matches it
     * first), for backends with their own user, inside the rule's regions.
     */
    static Map<WarmKey, BackendConfig> configuredPools(MeridianConfig config) {
        Map<WarmKey, BackendConfig> wanted = new LinkedHashMap<>();
        for (DatabaseRule rule : config.databases()) {
            String name = rule.exactName();
            if (name == null || config.routeFor(name).orElse(null) != rule) {
                continue;
            }
            for (BackendConfig b : config.backends()) {
                if (b.user() != null && (rule.regions().isEmpty() || rule.regions().contains(b.region()))) {
                    wanted.putIfAbsent(new WarmKey(b.name(), b.user(), rule.backendDatabaseFor(name)), b);
                }
            }
        }
        return wanted;
    }

    /** A session got a connection of this pool: keep the pool warm from now on. */
    void learn(BackendConfig backend, BackendCredentials credentials, PoolKey key, EventLoop loop) {
        if (loops.isEmpty() || config.get().minIdle() == 0 || !backend.equals(backends.get(backend.name()))) {
            return;
        }
        WarmKey wk = WarmKey.of(key);
        Warmth w = pools.get(wk);
        if (w == null) {
            pools.putIfAbsent(wk, new Warmth(wk, backend, credentials, false, loops.size()));
            kick(loop);
        } else if (!w.configured()) {
            w.credentials(credentials);
        }
    }

    /** Tops up {@code loop}'s shares soon (a warm connection was taken or lost there). */
    void kick(EventLoop loop) {
        int index = loops.indexOf(loop);
        if (index >= 0 && !stopped && config.get().minIdle() > 0) {
            loop.execute(() -> refill(loop, index));
        }
    }

    /** Whether idle expiry must spare {@code c}: its loop holds no more than its share of a warm pool. */
    boolean keeps(PooledConnection c, int idleOfItsKey) {
        int n = config.get().minIdle();
        if (n == 0 || !WarmKey.isPlain(c.key())) {
            return false;
        }
        Warmth w = pools.get(WarmKey.of(c.key()));
        int index = loops.indexOf(c.channel().eventLoop());
        return w != null && index >= 0 && w.backend().equals(c.backend())
                && idleOfItsKey <= w.share(n, loops.size(), index);
    }

    private void refill(EventLoop loop, int index) {
        try {
            int n = config.get().minIdle();
            if (n == 0 || stopped) {
                return;
            }
            HealthSnapshot h = health.get();
            for (Warmth w : pools.values()) {
                if (h.health(w.backend().name()).up()) {
                    topUp(w, loop, index, n);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("min_idle: topping up failed", e); // the next tick tries again
        }
    }

    private void topUp(Warmth w, EventLoop loop, int index, int n) {
        int missing = w.share(n, loops.size(), index) - pool.idleCount(loop, w.plain()) - w.opening(index);
        for (; missing > 0 && w.startLogin(index, System.nanoTime()); missing--) {
            Future<PooledConnection> f = pool.prewarm(loop, w.backend(), w.credentials(), w.plain());
            if (f == null) {
                w.loginCancelled(index);
                return;
            }
            f.addListener(r -> loggedIn(w, index, r));
        }
    }

    private void loggedIn(Warmth w, int index, Future<?> result) {
        int failures = w.loginEnded(index, result.isSuccess(), System.nanoTime());
        if (result.isSuccess()) {
            return;
        }
        Throwable cause = result.cause();
        if (!w.configured() && cause instanceof BackendException e && !e.unreachable()) {
            pools.remove(w.key(), w);
            LOG.info("min_idle: no longer keeping {} warm: {}", w.key().describe(), cause.getMessage());
        } else if (failures == 1) {
            LOG.info("min_idle: login to {} failed, retrying with backoff: {}", w.key().describe(), cause.getMessage());
        } else {
            LOG.debug("min_idle: login to {} failed again ({} times): {}", w.key().describe(), failures,
                    cause.getMessage());
        }
    }
}
