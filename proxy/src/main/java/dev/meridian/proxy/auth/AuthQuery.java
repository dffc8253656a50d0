package dev.meridian.proxy.auth;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
 */
public final class AuthQuery implements UserDirectory {
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
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();

    public AuthQuery(String sql, BackendConnector connector) {
        this.sql = sql;
        this.connector = connector;
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
            return scope.loop().newSucceededFuture(cached.secret());
        }
        Promise<Optional<UserSecret>> promise = scope.loop().newPromise();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", backend.user());
        params.put("database", scope.database());
        params.put("application_name", "meridian auth_query");
        connector.connect(scope.loop(), backend, new StartupMessage(StartupMessage.PROTOCOL_3_0, params),
                BackendCredentials.password(backend.user(), backend.password())).addListener(f -> {
                    if (!f.isSuccess()) {
                        promise.setFailure(f.cause());
                        return;
                    }
                    BackendConnection conn = (BackendConnection) f.getNow();
                    conn.channel().pipeline().addLast(new AuthQueryHandler(sql, user, promise));
                });
        promise.addListener(f -> {
            if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                Optional<UserSecret> secret = (Optional<UserSecret>) f.getNow();
                cache.put(key, new Cached(secret, System.nanoTime() + TTL_NANOS));
            }
        });
        return promise;
    }

    @Override
    public void invalidate(String user) {
        cache.keySet().removeIf(k -> k.user().equals(user));
    }
}
