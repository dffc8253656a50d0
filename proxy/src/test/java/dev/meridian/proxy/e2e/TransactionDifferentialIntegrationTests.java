package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.e2e.differential.DifferentialRun;
import dev.meridian.proxy.testing.PostgresExtension;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The randomized differential test of issue 18: for each seed, {@value #CLIENTS} clients run
 * random programs ({@link dev.meridian.proxy.e2e.differential.ProgramGenerator}) at the same
 * time, once through a session-mode proxy and once through a transaction-mode proxy whose pool
 * has only {@value #POOL} connections, against the same PostgreSQL. Every client must see the
 * same trace (rows, command tags, SQLSTATEs, ParameterStatus, notifications) in both modes.
 * A failure names the seed and the client; re-run it by adding the seed to {@link #SEEDS}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TransactionDifferentialIntegrationTests {
    private static final Logger log = LoggerFactory.getLogger(TransactionDifferentialIntegrationTests.class);
    static final int CLIENTS = 24;
    static final int POOL = 4;
    static final int EPISODES = 20;

    /** Fixed seeds, run every time; a seed that once failed is added here with a comment. */
    static final long[] SEEDS = { // seed 2 (client 23): pgjdbc re-running a named DISCARD ALL, open
        1, 2,
        3, // a RESET custom setting (x.c4) read back NULL instead of the empty placeholder
        18, 19, 20,
        357602181, // pgjdbc DISCARD ALL refused in a transaction block made Meridian forget the client's S_n (26000);
                   // client 20: a RESET ALL behind pgjdbc's Close of a dropped statement was not followed (final SHOW application_name)
        2258111892L, // clients hung (read timeout / 08006): two transaction pools starving each other at the backend cap
        505, 606, // a RESET ALL inside a transaction block was not followed: the next connection got the old SETs back
    };

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture session;
    static ProxyFixture transaction;
    static Connection direct;

    @BeforeAll
    static void start() throws Exception {
        // A generous health timeout: a health check timing out on two loaded cores would take the
        // only backend down mid-run (57P03 / 08006), which is not what this test is about.
        String health = "health: { interval: 10s, timeout: 10s }";
        session = OneRegion.start(PG, "pool: { max_per_backend: 60 }", health);
        transaction = OneRegion.start(PG, "pool: { mode: transaction, max_per_backend: " + POOL + " }", health);
        direct = PG.server("iad").connect("postgres");
    }

    @AfterAll
    static void stop() throws SQLException {
        if (direct != null) {
            try (Statement s = direct.createStatement()) {
                for (int i = 0; i < CLIENTS; i++) {
                    s.execute("DROP SCHEMA IF EXISTS c" + i + " CASCADE");
                }
            }
            direct.close();
        }
        for (ProxyFixture p : new ProxyFixture[] {session, transaction}) {
            if (p != null) {
                p.close();
            }
        }
    }

    static LongStream seeds() {
        String only = System.getProperty("differential.seeds", "");
        if (!only.isBlank()) { // -Ddifferential.seeds=1,2258111892 runs just those seeds
            return java.util.Arrays.stream(only.split(",")).mapToLong(v -> Long.parseLong(v.trim()));
        }
        if ("true".equals(System.getenv("CI")) && !Boolean.getBoolean("differential.random")) {
            // The gate runs the fixed seeds only; exploring new seeds is for local runs (or
            // -Ddifferential.random=true), whose failures are added to SEEDS once understood.
            return LongStream.of(SEEDS);
        }
        long random = new SecureRandom().nextLong() & 0xffff_ffffL;
        log.info("differential test: random seed {} (add it to SEEDS if it fails)", random);
        return LongStream.concat(LongStream.of(SEEDS), LongStream.of(random));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyClientSeesTheSameInBothModes(long seed) throws Exception {
        freshNamespaces();
        List<List<String>> inSession = DifferentialRun.run(session.port(), seed, CLIENTS, EPISODES,
                TransactionDifferentialIntegrationTests::notifyDirect);
        freshNamespaces();
        List<List<String>> inTransaction = DifferentialRun.run(transaction.port(), seed, CLIENTS, EPISODES,
                TransactionDifferentialIntegrationTests::notifyDirect);
        log.info("seed {}: transaction mode {}", seed, AdminHttp.get(transaction.adminPort(), "/metrics").body().lines()
                .filter(l -> l.startsWith("meridian_pool_pins_total") || l.startsWith("meridian_transactions_total"))
                .toList());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String diff = DifferentialRun.difference(inSession.get(i), inTransaction.get(i));
            if (diff != null) {
                failures.add("seed " + seed + ", client " + i + (DifferentialRun.usesJdbc(i) ? " (pgjdbc)" : " (wire)")
                        + ": " + diff);
            }
        }
        assertThat(failures).as("clients whose results differ between session and transaction mode").isEmpty();
    }

    /**
     * Each client's schema afresh, and no advisory lock left by the previous run (a retired
     * connection's reset runs in the background), so both runs start from the same state.
     */
    private static void freshNamespaces() throws Exception {
        try (Statement s = direct.createStatement()) {
            for (int i = 0; i < CLIENTS; i++) {
                s.execute("DROP SCHEMA IF EXISTS c" + i + " CASCADE");
                s.execute("CREATE SCHEMA c" + i);
                s.execute("CREATE TABLE c" + i + ".t (k int PRIMARY KEY, v text)");
                s.execute("INSERT INTO c" + i + ".t SELECT k, 'v' || k FROM generate_series(1, 5) k");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (advisoryLocks() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(advisoryLocks()).as("advisory locks left from the previous run").isZero();
    }

    private static int advisoryLocks() throws SQLException {
        try (Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static synchronized void notifyDirect(String channel, String payload) {
        try (PreparedStatement ps = direct.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, payload);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
