package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.backend.BackendConnector;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import dev.meridian.proxy.config.BackendTlsMode;
import dev.meridian.proxy.server.Transport;
import dev.meridian.proxy.testing.SilentServer;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A probe that runs out of time, against a server that accepts TCP and never says a word: a
 * failed check, unless the backend was answering sessions meanwhile or the proxy itself was late.
 */
class HealthProbeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Transport TRANSPORT = Transport.best();
    private static EventLoopGroup loops;
    private static SilentServer silent;

    private final HealthProbe probe = new HealthProbe(new BackendConnector(TRANSPORT, 1 << 20, TIMEOUT, TIMEOUT), TIMEOUT);

    @BeforeAll
    static void start() throws Exception {
        loops = TRANSPORT.newGroup(1, "probe-test");
        silent = new SilentServer();
    }

    @AfterAll
    static void stop() throws Exception {
        silent.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static BackendConfig backend() {
        return new BackendConfig("silent", "iad", "127.0.0.1", silent.port(), BackendRole.AUTO, "u", "p",
                new BackendTls(BackendTlsMode.DISABLE, null));
    }

    private ProbeResult run(java.util.function.LongSupplier answered) throws Exception {
        return probe.run(loops.next(), backend(), answered).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSilentBackendFailsTheCheckAndTheReasonSaysWhereItStuck() throws Exception {
        ProbeResult r = run(() -> 7);

        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.FAILED);
        assertThat(r.failure()).isEqualTo("no answer within 300 ms (connecting and logging in)");
    }

    @Test
    void aTimeoutWhileTheBackendAnsweredSessionsIsNotCounted() throws Exception {
        AtomicLong answers = new AtomicLong();
        // Each read sees more answers: sessions on this backend are being served.
        ProbeResult r = run(answers::incrementAndGet);

        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.INCONCLUSIVE);
        assertThat(r.failure()).startsWith("no answer within 300 ms (connecting and logging in), but the backend"
                + " answered 1 session queries meanwhile");
    }

    @Test
    void aTimeoutThatFiredFarTooLateIsTheProxysDelayNotTheBackends() {
        long startedLongAgo = System.nanoTime() - Duration.ofSeconds(5).toNanos();

        ProbeResult r = probe.timedOut("logged in, waiting for pg_is_in_recovery()", startedLongAgo, 0);

        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.INCONCLUSIVE);
        assertThat(r.failure()).startsWith("no answer within 300 ms (logged in, waiting for pg_is_in_recovery()),"
                + " but Meridian's own event loop ran ").endsWith(" ms late: the delay may be ours");
    }

    @Test
    void aTimeoutOnTimeWithNoSessionAnswersFails() {
        ProbeResult r = probe.timedOut("connecting and logging in", System.nanoTime() - TIMEOUT.toNanos(), 0);

        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.FAILED);
    }
}
