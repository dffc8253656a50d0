package dev.meridian.proxy.auth;

import io.netty.util.concurrent.Future;
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
                var promise = scope.loop().<Optional<UserSecret>>newPromise();
                first.lookup(user, scope).addListener(f -> {
                    @SuppressWarnings("unchecked")
                    Optional<UserSecret> found = f.isSuccess() ? (Optional<UserSecret>) f.getNow() : Optional.empty();
                    if (found.isPresent()) {
                        promise.setSuccess(found);
                    } else {
                        second.lookup(user, scope).addListener(g -> {
                            if (g.isSuccess()) {
                                @SuppressWarnings("unchecked")
                                Optional<UserSecret> s = (Optional<UserSecret>) g.getNow();
                                promise.setSuccess(s);
                            } else {
                                promise.setFailure(g.cause());
                            }
                        });
                    }
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
