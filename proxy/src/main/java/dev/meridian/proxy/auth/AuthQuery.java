package dev.meridian.proxy.auth;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.AuthQueryLimits;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth.auth_query}: looks a user's secret up in the backend itself (e.g. {@code SELECT
 * usename, passwd FROM pg_shadow WHERE usename=$1}), as PgBouncer does. The query runs on the
 * first backend of the session's route that has a configured user, over a fresh connection,
 * with the user name bound as a parameter (never spliced into SQL). Answers are cached for a
 * minute per (backend, user), so a role that exists only in one region's server is never
 * believed for a database routed to another region, and forgotten at once when a login with
 * them fails, so a changed password is picked up on the next attempt. A lookup without
 * backends (the admin console) finds no one: the console authenticates only against the users
 * file.
 *
 * <p>Its cost is bounded ({@link AuthQueryLimits}): at most {@code auth_query_connections}
 * lookups per backend at once, the rest wait their turn; each is given up after
 * {@code auth_query_timeout}, and abandoned as soon as its client leaves (the future is
 * cancelled). A lookup given up while its query runs is cancelled on the backend
 * (CancelRequest), and the backend's own {@code statement_timeout} is the same timeout, so a
 * query stuck behind a lock never outlives it.
 */
public final class AuthQuery implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(AuthQuery.class);
    private static final long TTL_NANOS = 60_000_000_000L;

    private record Cached(Optional<UserSecret> secret, long expires) {
    }

    /** Whose answer: the backend it was asked of (by name and server) and the user. */
    private record CacheKey(String backend, String host, int port, String user) {
        static CacheKey of(BackendConfig b, String user) {
            return new CacheKey(b.name(), b.host(), b.port(), user);
        }
    }

    private final String sql;
    private final BackendConnector connector;
    private final AuthQueryLimits limits;
    private final AuthQueryShared shared;
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();

    public AuthQuery(String sql, BackendConnector connector, AuthQueryLimits limits, AuthQueryShared shared) {
        this.sql = sql;
        this.connector = connector;
        this.limits = limits;
        this.shared = shared;
    }

    @Override
    public Future<Optional<UserSecret>> lookup(String user, LookupScope scope) {
        if (scope.backends().isEmpty()) {
            return scope.loop().newSucceededFuture(Optional.empty()); // the admin console: users file only
        }
        BackendConfig backend = scope.backends().stream().filter(b -> b.user() != null).findFirst().orElse(null);
        if (backend == null) {
            return scope.loop().newFailedFuture(new IllegalStateException(
                    "auth.auth_query needs a backend with a configured user in the route's regions"));
        }
        CacheKey key = CacheKey.of(backend, user);
        Cached cached = cache.get(key);
        if (cached != null && cached.expires() - System.nanoTime() > 0) {
            shared.count("cached");
            return scope.loop().newSucceededFuture(cached.secret());
        }
        Promise<Optional<UserSecret>> promise = scope.loop().newPromise();
        long timeoutMs = limits.timeout().toMillis();
        var timer = scope.loop().schedule(() -> promise.tryFailure(new TimeoutException(
                "auth_query got no answer from backend " + backend.name() + " within " + timeoutMs + " ms")),
                timeoutMs, TimeUnit.MILLISECONDS);
        promise.addListener(f -> {
            timer.cancel(false);
            finished(key, f);
        });
        AuthQueryBudget budget = shared.budget(backend.name());
        budget.run(limits.connections(), () -> scope.loop().execute(() -> start(scope, backend, user, promise, budget)),
                promise);
        return promise;
    }

    /** On a connection of the budget: log in, run the query; the slot is given back when it closes. */
    private void start(LookupScope scope, BackendConfig backend, String user, Promise<Optional<UserSecret>> promise,
                       AuthQueryBudget budget) {
        if (promise.isDone()) {
            budget.release(); // timed out or abandoned while waiting: never reaches the backend
            return;
        }
        connector.connect(scope.loop(), backend, startup(backend, scope.database()),
                BackendCredentials.password(backend.user(), backend.password())).addListener(f -> {
                    if (!f.isSuccess()) {
                        budget.release();
                        promise.tryFailure(f.cause());
                        return;
                    }
                    BackendConnection conn = (BackendConnection) f.getNow();
                    conn.channel().closeFuture().addListener(c -> budget.release());
                    if (promise.isDone()) {
                        conn.channel().close();
                        return;
                    }
                    AuthQueryHandler handler = new AuthQueryHandler(sql, user, promise);
                    conn.channel().pipeline().addLast(handler);
                    promise.addListener(p -> {
                        if (!handler.answered() && conn.keyData() != null) {
                            connector.cancel(scope.loop(), backend, conn.keyData().toCancelRequest());
                        }
                        conn.channel().close();
                    });
                });
    }

    private StartupMessage startup(BackendConfig backend, String database) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", backend.user());
        params.put("database", database);
        params.put("application_name", "meridian auth_query");
        params.put("options", "-c statement_timeout=" + limits.timeout().toMillis());
        return new StartupMessage(StartupMessage.PROTOCOL_3_0, params);
    }

    private void finished(CacheKey key, Future<?> f) {
        if (f.isSuccess()) {
            @SuppressWarnings("unchecked")
            Optional<UserSecret> secret = (Optional<UserSecret>) f.getNow();
            cache.put(key, new Cached(secret, System.nanoTime() + TTL_NANOS));
            shared.count(secret.isPresent() ? "found" : "not_found");
        } else if (f.isCancelled()) {
            shared.count("abandoned");
        } else if (f.cause() instanceof TimeoutException) {
            shared.count("timeout");
            LOG.warn("auth_query on backend {} timed out after {} ms: the login fails (a query already running is cancelled)",
                    key.backend(), limits.timeout().toMillis());
        } else {
            shared.count("error");
        }
    }

    @Override
    public void invalidate(String user) {
        cache.keySet().removeIf(k -> k.user().equals(user));
    }
}
