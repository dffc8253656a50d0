package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backend restarted under real pgbench load: database {@code bench} may live in both regions,
 * and two pgbench processes pin their sessions with {@code -c meridian.region=...}, so which
 * clients are on the restarted server is known (and checked on the servers themselves). Only
 * those clients abort; the others finish without a failed transaction; new sessions for the
 * restarted region succeed afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestartUnderLoadIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: { method: trust }
            health: { interval: 1s, timeout: 1s, rise: 2, fall: 3, grace_period: 0s }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              "*": {}
            """;
    static final int CLIENTS = 4;
    static final int SECONDS = 15;
    static final Pattern ABORTED = Pattern.compile("client (\\d+) (?:script \\d+ )?aborted");
    static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");

    /** How the lhr server goes away before it is started again. */
    enum Restart {
        FAST("pg_ctl stop -m fast", PgServer::stop),
        CRASH("SIGKILL", PgServer::kill);

        final String label;
        final Consumer<PgServer> down;

        Restart(String label, Consumer<PgServer> down) {
            this.label = label;
            this.down = down;
        }
    }

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        for (PgServer server : PG.servers()) {
            server.execute("postgres", "CREATE DATABASE bench");
            ProcessResult init = PgTools.local().pgbench(server.endpoint(), PgServer.SUPERUSER,
                    PgServer.SUPERUSER_PASSWORD, "bench", "-i", "-s", "1", "-q");
            assertThat(init.exitCode()).as(init.stderr()).isZero();
        }
        proxy = ProxyFixture.start(CONFIG, TwoRegions.env(PG.server("iad"), PG.server("lhr")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @AfterEach
    void bothServersRunning() {
        HealthTesting.restartIfDown(PG.server("iad"), PG.server("lhr"));
    }

    @ParameterizedTest
    @EnumSource(Restart.class)
    void onlyTheClientsOnTheRestartedBackendFail(Restart restart) throws Exception {
        PgServer iad = PG.server("iad");
        PgServer lhr = PG.server("lhr");
        awaitUp("lhr-1");
        String steadyApp = "steady_" + restart.name().toLowerCase();
        String hitApp = "hit_" + restart.name().toLowerCase();
        CompletableFuture<ProcessResult> steady = CompletableFuture.supplyAsync(() -> selectOnly("iad", steadyApp));
        CompletableFuture<ProcessResult> hit = CompletableFuture.supplyAsync(() -> selectOnly("lhr", hitApp));

        // The split, as the servers see it: every steady client on iad, every hit client on lhr
        // (plus, maybe, the pooled connection of pgbench's first session, which only reads the scale).
        Await.until(Duration.ofSeconds(SECONDS / 2), () -> sessions(iad, steadyApp) >= CLIENTS
                && sessions(lhr, hitApp) >= CLIENTS, () -> "pgbench sessions not where pinned: iad has "
                + sessions(iad, steadyApp) + " steady + " + sessions(iad, hitApp) + " hit, lhr has "
                + sessions(lhr, steadyApp) + " steady + " + sessions(lhr, hitApp) + " hit; health "
                + proxy.server().context().healthMonitor().current().statuses() + "; steady "
                + early(steady) + "; hit " + early(hit));
        assertThat(sessions(iad, hitApp)).isZero();
        assertThat(sessions(lhr, steadyApp)).isZero();
        Thread.sleep(1000); // some load first
        restart.down.accept(lhr);
        lhr.start();

        ProcessResult steadyResult = steady.get(SECONDS + 60, TimeUnit.SECONDS);
        ProcessResult hitResult = hit.get(SECONDS + 60, TimeUnit.SECONDS);
        System.out.println("restart by " + restart.label + ": steady " + summary(steadyResult) + "; hit "
                + summary(hitResult) + ", aborted clients " + aborted(hitResult));

        assertThat(steadyResult.exitCode()).as(steadyResult.stderr()).isZero();
        assertThat(aborted(steadyResult)).isEmpty();
        assertThat(count(FAILED, steadyResult)).isZero();
        assertThat(count(PROCESSED, steadyResult)).isPositive();
        assertThat(aborted(hitResult)).as(hitResult.stderr())
                .isEqualTo(IntStream.range(0, CLIENTS).boxed().collect(TreeSet::new, Set::add, Set::addAll));
        assertThat(count(PROCESSED, hitResult)).as("work done before the restart").isPositive();

        awaitUp("lhr-1");
        ProcessResult after = pgbench("lhr", "after_" + restart.name().toLowerCase(), "-S", "-n", "-c", "2",
                "-j", "1", "-t", "50");
        assertThat(after.exitCode()).as(after.stderr()).isZero();
        assertThat(count(FAILED, after)).isZero();
        ProcessResult port = PgTools.local().withEnv("PGOPTIONS", "-c meridian.region=lhr")
                .psql(endpoint(), "postgres", null, "bench", "-c", "SELECT inet_server_port()");
        assertThat(port.stdout().trim()).as("a new session lands on the restarted server again")
                .isEqualTo(Integer.toString(lhr.port()));
    }

    /** What a pgbench that ended too early said. */
    static String early(CompletableFuture<ProcessResult> run) {
        ProcessResult r = run.getNow(null);
        return r == null ? "running" : "exited " + r.exitCode() + ": " + r.stderr();
    }

    static ProcessResult selectOnly(String region, String app) {
        return pgbench(region, app, "-S", "-n", "-c", Integer.toString(CLIENTS), "-j", "1", "-T",
                Integer.toString(SECONDS));
    }

    static ProcessResult pgbench(String region, String app, String... args) {
        return PgTools.local().withTimeout(Duration.ofSeconds(SECONDS + 60))
                .withEnv("PGOPTIONS", "-c meridian.region=" + region).withEnv("PGAPPNAME", app)
                .pgbench(endpoint(), "postgres", null, "bench", args);
    }

    static PgEndpoint endpoint() {
        return new PgEndpoint("127.0.0.1", proxy.port());
    }

    static int sessions(PgServer server, String app) {
        return Integer.parseInt(server.query("postgres",
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'"));
    }

    static void awaitUp(String backend) {
        Await.until(HealthTesting.WAIT, () -> proxy.server().context().healthMonitor().current().health(backend).up(),
                () -> backend + " not up again: " + proxy.server().context().healthMonitor().current().statuses());
    }

    static Set<Integer> aborted(ProcessResult r) {
        Set<Integer> clients = new TreeSet<>();
        Matcher m = ABORTED.matcher(r.stdout() + r.stderr());
        while (m.find()) {
            clients.add(Integer.parseInt(m.group(1)));
        }
        return clients;
    }

    static long count(Pattern pattern, ProcessResult r) {
        Matcher m = pattern.matcher(r.stdout());
        assertThat(m.find()).as(r.stdout() + r.stderr()).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String summary(ProcessResult r) {
        Matcher m = PROCESSED.matcher(r.stdout());
        return "exit " + r.exitCode() + ", " + (m.find() ? m.group(1) : "?") + " transactions";
    }
}
