package dev.meridian.proxy.backend.health;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.backend.BackendConnection;
import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.backend.BackendException;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One health probe: TCP connect and log in as a session would (TLS and authentication
 * included, through the {@link BackendConnector}), then {@link RecoveryQuery}. The whole probe
 * is bounded by {@code timeout}; the returned future always succeeds, with a failed
 * {@link ProbeResult} when the backend is not fit.
 *
 * <p>It logs into database {@code postgres} (present on every cluster) as the backend's
 * configured user, with {@code application_name=meridian-health} so that DBAs can tell these
 * sessions apart. A backend configured without a user is asked as {@code postgres}, without a
 * password: see {@link LoginVerdict} for what that can tell.
 */
final class HealthProbe {
    static final String PROBE_DATABASE = "postgres";
    static final String PROBE_USER_WITHOUT_CREDENTIALS = "postgres";

    private final BackendConnector connector;
    private final Duration timeout;

    /** {@code connector} should time out connect and login after {@code timeout} too. */
    HealthProbe(BackendConnector connector, Duration timeout) {
        this.connector = connector;
        this.timeout = timeout;
    }

    /**
     * @param answered the queries the backend has answered sessions so far ({@link BackendActivity}):
     *                 read at the start and at a timeout, to tell a busy backend from a dead one
     */
    Future<ProbeResult> run(EventLoop loop, BackendConfig backend, LongSupplier answered) {
        Promise<ProbeResult> promise = loop.newPromise();
        long startedAt = System.nanoTime();
        long answeredBefore = answered.getAsLong();
        boolean configured = backend.user() != null;
        BackendCredentials credentials = configured
                ? BackendCredentials.password(backend.user(), backend.password())
                : BackendCredentials.none(PROBE_USER_WITHOUT_CREDENTIALS);
        String[] phase = {"connecting and logging in"};
        var timer = loop.schedule(() -> promise.trySuccess(timedOut(phase[0], startedAt,
                answered.getAsLong() - answeredBefore)), timeout.toNanos(), TimeUnit.NANOSECONDS);
        connector.connect(loop, backend, startup(credentials.user()), credentials).addListener(f -> {
            if (f.isSuccess()) {
                phase[0] = "logged in, waiting for pg_is_in_recovery()";
                query((BackendConnection) f.getNow(), promise);
            } else {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);
                promise.trySuccess(LoginVerdict.of((BackendException) f.cause(), configured, elapsed));
            }
        });
        promise.addListener(f -> timer.cancel(false));
        return promise;
    }

    /**
     * The probe ran out of time. That fails the check unless something else explains it: the
     * backend answered sessions' queries meanwhile (it is busy: forking a new backend and
     * logging in is slow under load, not impossible), or the timer itself fired late by more
     * than half the timeout (Meridian's own loop was too busy or the process was stalled, so
     * the answer may be sitting unread).
     */
    ProbeResult timedOut(String phase, long startedAt, long answeredMeanwhile) {
        long lateNanos = System.nanoTime() - startedAt - timeout.toNanos();
        String what = "no answer within " + timeout.toMillis() + " ms (" + phase + ")";
        if (answeredMeanwhile > 0) {
            return ProbeResult.inconclusive(what + ", but the backend answered " + answeredMeanwhile
                    + " session queries meanwhile: busy, not down");
        }
        if (lateNanos > timeout.toNanos() / 2) {
            return ProbeResult.inconclusive(what + ", but Meridian's own event loop ran "
                    + TimeUnit.NANOSECONDS.toMillis(lateNanos) + " ms late: the delay may be ours");
        }
        return ProbeResult.failed(what);
    }

    /** Runs the recovery query unless the probe already timed out; the connection closes either way. */
    private static void query(BackendConnection conn, Promise<ProbeResult> promise) {
        if (promise.isDone()) {
            conn.channel().close();
            return;
        }
        conn.channel().pipeline().addLast(new RecoveryQuery(promise, superuser(conn)));
        // A probe that times out mid-query leaves nothing open behind it.
        promise.addListener(f -> conn.channel().close());
    }

    /**
     * Whether the login user is a superuser: PostgreSQL reports {@code is_superuser} as a
     * ParameterStatus at every login, so this costs no query. Null when it was not reported.
     */
    static Boolean superuser(BackendConnection conn) {
        return conn.parameters().stream().filter(p -> p.name().equals("is_superuser")).findFirst()
                .map(p -> p.value().equals("on")).orElse(null);
    }

    private static StartupMessage startup(String user) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", user);
        params.put("database", PROBE_DATABASE);
        params.put("application_name", "meridian-health");
        return new StartupMessage(StartupMessage.PROTOCOL_3_0, params);
    }
}
