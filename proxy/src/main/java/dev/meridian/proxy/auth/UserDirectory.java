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
     * Cancelling the future abandons the lookup (its client left).
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
                        promise.trySuccess(f.getNow());
                        return;
                    }
                    if (promise.isDone()) {
                        return; // abandoned meanwhile
                    }
                    Future<Optional<UserSecret>> asked = second.lookup(user, scope);
                    promise.addListener(p -> {
                        if (p.isCancelled()) {
                            asked.cancel(false); // the client left: the second lookup is abandoned too
                        }
                    });
                    asked.addListener((FutureListener<Optional<UserSecret>>) g -> {
                        if (g.isSuccess()) {
                            promise.trySuccess(g.getNow());
                        } else {
                            promise.tryFailure(g.cause());
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
