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

    Future<ProbeResult> run(EventLoop loop, BackendConfig backend) {
        Promise<ProbeResult> promise = loop.newPromise();
        long startedAt = System.nanoTime();
        boolean configured = backend.user() != null;
        BackendCredentials credentials = configured
                ? BackendCredentials.password(backend.user(), backend.password())
                : BackendCredentials.none(PROBE_USER_WITHOUT_CREDENTIALS);
        var timer = loop.schedule(() -> promise.trySuccess(ProbeResult.failed("no answer within "
                + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
        connector.connect(loop, backend, startup(credentials.user()), credentials).addListener(f -> {
            if (f.isSuccess()) {
                query((BackendConnection) f.getNow(), promise);
            } else {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);
                promise.trySuccess(LoginVerdict.of((BackendException) f.cause(), configured, elapsed));
            }
        });
        promise.addListener(f -> timer.cancel(false));
        return promise;
    }

    /** Runs the recovery query unless the probe already timed out; the connection closes either way. */
    private static void query(BackendConnection conn, Promise<ProbeResult> promise) {
        if (promise.isDone()) {
            conn.channel().close();
            return;
        }
        conn.channel().pipeline().addLast(new RecoveryQuery(promise));
        // A probe that times out mid-query leaves nothing open behind it.
        promise.addListener(f -> conn.channel().close());
    }

    private static StartupMessage startup(String user) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", user);
        params.put("database", PROBE_DATABASE);
        params.put("application_name", "meridian-health");
        return new StartupMessage(StartupMessage.PROTOCOL_3_0, params);
    }
}
