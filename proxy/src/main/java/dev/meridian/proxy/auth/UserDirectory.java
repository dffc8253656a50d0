package dev.meridian.proxy.auth;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import java.util.Optional;

/** Where client credentials come from: a users file, an auth query, or both. */
public interface UserDirectory {
    /**
     * The user's secret, or empty when there is no such user. Completes on {@code scope.loop()};
     * fails only when the directory itself cannot answer (e.g. the auth query's backend is down).
     */
    Future<Optional<UserSecret>> lookup(String user, LookupScope scope);

    /** A login with the looked-up secret failed: forget it, so the next attempt asks again. */
    default void invalidate(String user) {
    }

    UserDirectory NONE = (user, scope) -> scope.loop().newSucceededFuture(Optional.empty());

    /** {@code first}, then {@code second} for the users {@code first} does not know. */
    static UserDirectory chain(UserDirectory first, UserDirectory second) {
        return new UserDirectory() {
            @Override
            public Future<Optional<UserSecret>> lookup(String user, LookupScope scope) {
                Promise<Optional<UserSecret>> promise = scope.loop().newPromise();
                first.lookup(user, scope).addListener((FutureListener<Optional<UserSecret>>) f -> {
                    if (f.isSuccess() && f.getNow().isPresent()) {
                        promise.setSuccess(f.getNow());
                        return;
                    }
                    second.lookup(user, scope).addListener((FutureListener<Optional<UserSecret>>) g -> {
                        if (g.isSuccess()) {
                            promise.setSuccess(g.getNow());
                        } else {
                            promise.setFailure(g.cause());
                        }
                    });
                });
                return promise;
            }

            @Override
            public void invalidate(String user) {
                first.invalidate(user);
                second.invalidate(user);
            }
        };
    }
}
