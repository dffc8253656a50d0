package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 19: target: auto over transaction pooling, against a real primary and a streaming
 * replica (pg_basebackup -R) whose apply is delayed by 2 s (recovery_min_apply_delay): reads
 * without a prior write are served by the replica; every read after the client's own write sees
 * it (0 stale reads); a "read" that writes is re-run on the primary, never an error.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ReadRoutingIntegrationTests {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRoutingIntegrationTests.class);

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").replica("iad-r", "iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.meridian.proxy.session.ReadRouter"))
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
        PgServer primary = PG.server("iad");
        PgServer replica = PG.server("iad-r");
        primary.execute("postgres", "CREATE TABLE IF NOT EXISTS ryw (client int, n int)",
                "CREATE TABLE IF NOT EXISTS side_effects (at timestamptz DEFAULT now())",
                // A user function that shadows no built-in but is named like an allowed one: the
                // classifier takes "lower(1)" for a read; the replica refuses it (25006).
                "CREATE OR REPLACE FUNCTION public.lower(x integer) RETURNS integer LANGUAGE plpgsql AS"
                        + " $$ BEGIN INSERT INTO side_effects DEFAULT VALUES; RETURN x; END $$");
        replica.execute("postgres", "ALTER SYSTEM SET recovery_min_apply_delay = '2s'", "SELECT pg_reload_conf()");
        proxy = startProxy("max_replica_lag: 10s");
        HealthTesting.awaitRoles(proxy, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
        primary.execute("postgres", "INSERT INTO side_effects DEFAULT VALUES"); // moves the primary's position
        Await.until(Duration.ofSeconds(30), () -> {
            double lag = proxy.server().context().healthMonitor().positions().of("iad-2").lag();
            return !Double.isNaN(lag) && lag < 10;
        }, () -> "the replica's lag is not measured");
        // The replica applies with a 2 s delay: until it has lower(integer) it answers 42883, not
        // 25006, and the re-run test would see that error instead of a re-run.
        Await.until(Duration.ofSeconds(30), () -> "t".equals(replica.query("postgres",
                "SELECT to_regprocedure('public.lower(integer)') IS NOT NULL")),
                () -> "the replica has not replayed lower(integer)");
    }

    private static ProxyFixture startProxy(String healthKeys) throws Exception {
        return startProxy(healthKeys, PG.server("iad").port(), PG.server("iad-r").port());
    }

    private static ProxyFixture startProxy(String healthKeys, int primaryPort, int replicaPort) throws Exception {
        return ProxyFixture.start(OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${PRIMARY_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
                  - { name: iad-2, region: iad, host: 127.0.0.1, port: "${REPLICA_PORT}", role: auto, user: postgres, password: "${PGPASS}" }""",
                """
                databases:
                  "*": { regions: [iad], pool_mode: transaction, target: auto }""",
                "health: { interval: 1s, timeout: 1s, rise: 1, fall: 3, grace_period: 0s, " + healthKeys + " }"),
                OneRegion.env(PG, Map.of("PRIMARY_PORT", Integer.toString(primaryPort),
                        "REPLICA_PORT", Integer.toString(replicaPort))));
    }

    private static Connection connect(ProxyFixture p) throws SQLException {
        // prepareThreshold=0: unnamed statements only (named ones pin their connection, and pinned units stay on the primary).
        return java.sql.DriverManager.getConnection(p.jdbcUrl("postgres") + "?prepareThreshold=0&sslmode=disable",
                "postgres", "");
    }

    private static boolean servedByReplica(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void aReplicaBehindMaxReplicaLagTakesNoReads() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (ProxyFixture strict = startProxy("max_replica_lag: 200ms")) {
            HealthTesting.awaitRoles(strict, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            Future<?> writes = writer.submit(() -> {
                try (Connection c = PG.server("iad").connect("postgres"); Statement s = c.createStatement()) {
                    while (!Thread.currentThread().isInterrupted()) {
                        s.execute("INSERT INTO side_effects DEFAULT VALUES");
                        Thread.sleep(20);
                    }
                }
                return null;
            });
            Await.until(Duration.ofSeconds(30), () -> strict.server().context().healthMonitor().positions().of("iad-2")
                    .lag() > 0.5, () -> "the delayed replica never measured behind");
            try (Connection c = connect(strict)) {
                for (int i = 0; i < 50; i++) {
                    assertThat(servedByReplica(c)).as("read %d", i).isFalse();
                }
            }
            writes.cancel(true);
            assertThat(AdminHttp.get(strict.adminPort(), "/metrics").body())
                    .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_lagging\"}");
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void aCausalWaitLetsTheReplicaServeTheReadOnceItReplayedTheWrite() throws Exception {
        try (ProxyFixture patient = startProxy("causal_wait: 5s")) {
            HealthTesting.awaitRoles(patient, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            Await.until(Duration.ofSeconds(30), () -> patient.server().context().healthMonitor().positions().of("iad-2")
                    .lag() < 1, () -> "the replica's lag is not measured");
            try (Connection c = connect(patient); Statement s = c.createStatement()) {
                for (int n = 0; n < 3; n++) {
                    s.execute("INSERT INTO ryw VALUES (1000, " + (100 + n) + ")");
                    Thread.sleep(200); // a read right behind the write runs on the write's primary connection
                    long start = System.nanoTime();
                    try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), max(n) FROM ryw WHERE client = 1000")) {
                        rs.next();
                        LOG.info("causal read {}: replica={} after {} ms", n, rs.getBoolean(1),
                                (System.nanoTime() - start) / 1_000_000);
                        assertThat(rs.getInt(2)).as("the read sees the write").isEqualTo(100 + n);
                        assertThat(rs.getBoolean(1)).as("served by the replica once it replayed").isTrue();
                    }
                }
            }
        }
    }

    @Test
    void aWaitingReadIsNotSentBeforeTheReplicaReplayedEvenWhenSettingsAreReplayedFirst() throws Exception {
        // Another session leaves its own setting on the replica's connection, so the waiting read
        // gets a settings replay in front of the replay-position probe, and the replica's answers
        // come in pieces (PausingRelay). The replay's answer, read on its own, once let the waiting
        // read go to the replica early (a stale read, or the probe's answer in the client's stream:
        // "Bad value for type int : 0/3002C80").
        try (PausingRelay slow = PausingRelay.start(PG.server("iad-r").port(), 20);
             ProxyFixture patient = startProxy("causal_wait: 5s", PG.server("iad").port(), slow.port())) {
            HealthTesting.awaitRoles(patient, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            Await.until(Duration.ofSeconds(30), () -> patient.server().context().healthMonitor().positions().of("iad-2")
                    .lag() < 1, () -> "the replica's lag is not measured");
            try (Connection c = connect(patient); Statement s = c.createStatement();
                 Connection other = connect(patient); Statement o = other.createStatement()) {
                s.execute("SET statement_timeout = '31s'");
                for (int n = 0; n < 5; n++) {
                    o.execute("SET statement_timeout = '" + (40_000 + n) + "'");
                    s.execute("INSERT INTO ryw VALUES (2000, " + n + ")");
                    Thread.sleep(100); // the position probe is answered: the read is routed on its own
                    try (ResultSet rs = s.executeQuery("SELECT max(n), pg_is_in_recovery() FROM ryw WHERE client = 2000")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("read %d sees the write", n).isEqualTo(n);
                    }
                }
            }
        }
    }

    @Test
    void readsBackToBackAfterAWriteAreRoutedEachOnTheirOwn() throws Exception {
        // A far primary (answers paused): the client's first read after its write rides behind the
        // write's position query on the primary; being a read, it asks no new one, so the reads
        // after it are routed each on its own (they used to ride along forever: never a replica).
        try (PausingRelay far = PausingRelay.start(PG.server("iad").port(), 150);
             ProxyFixture p = startProxy("causal_wait: 0s", far.port(), PG.server("iad-r").port())) {
            HealthTesting.awaitRoles(p, Map.of("iad-1", BackendRole.PRIMARY, "iad-2", BackendRole.REPLICA));
            double before = routed(p);
            try (Connection c = connect(p); Statement s = c.createStatement()) {
                s.execute("INSERT INTO ryw VALUES (3000, 1)");
                for (int i = 0; i < 6; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT max(n) FROM ryw WHERE client = 3000")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("read %d sees the write", i).isEqualTo(1);
                    }
                }
            }
            // The write, then at least five of the six reads (the first may ride along) were routed.
            assertThat(routed(p) - before).isGreaterThanOrEqualTo(6);
        }
    }

    /** meridian_read_routing_total summed over its labels. */
    private static double routed(ProxyFixture p) throws Exception {
        return AdminHttp.get(p.adminPort(), "/metrics").body().lines()
                .filter(l -> l.startsWith("meridian_read_routing_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it kills the replica
    void aReplicaKilledUnderReadsLeavesAnswersFromThePrimaryOrAClearError() throws Exception {
        PgServer replica = PG.server("iad-r");
        int answered = 0;
        List<String> errors = new ArrayList<>();
        Connection c = connect();
        try {
            assertThat(servedByReplica(c)).isTrue();
            replica.kill();
            for (int i = 0; i < 100; i++) {
                try {
                    assertThat(servedByReplica(c)).as("a read after the replica died").isFalse();
                    answered++;
                } catch (SQLException e) {
                    errors.add(e.getSQLState() + " " + e.getMessage());
                    c.close();
                    c = connect();
                }
            }
        } finally {
            c.close();
            replica.start();
        }
        LOG.info("replica killed: {} reads answered by the primary, errors: {}", answered, errors);
        assertThat(errors).allSatisfy(e -> assertThat(e).startsWith("08006").contains("lost"));
        assertThat(answered).isGreaterThan(90);
    }

    @AfterAll
    static void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static Connection connect() throws SQLException {
        return connect(proxy);
    }

    @Test
    void readsWithoutAPriorWriteAreServedByTheReplica() throws Exception {
        int replica = 0;
        int total = 200;
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.meridian.proxy.session.ReadRouter"))
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (LogCapture log = LogCapture.of("dev.meridian.proxy.session.ReadRouter");
             Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < total; i++) {
                try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                    rs.next();
                    replica += rs.getBoolean(1) ? 1 : 0;
                }
            }
            log.matching(ch.qos.logback.classic.Level.DEBUG, "unit").stream().limit(5)
                    .forEach(l -> LOG.info("decision: {}", l.message()));
        }
        LOG.info("read-only client: {} of {} reads served by the replica", replica, total);
        // Not all: a health check that times out on a loaded machine takes the replica out for a moment.
        assertThat(replica).isGreaterThan(total / 2);
    }

    @Test
    void everyReadSeesTheClientsOwnPrecedingWrite() throws Exception {
        int clients = Integer.getInteger("rr.clients", 20);
        // Tens of thousands of reads on a quiet machine (about 20 s); a loaded one stops at the time limit.
        long until = System.nanoTime() + Duration.ofSeconds(Long.getLong("rr.seconds", 40)).toNanos();
        AtomicLong reads = new AtomicLong();
        AtomicLong stale = new AtomicLong();
        AtomicLong onReplica = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int id = 0; id < clients; id++) {
                int client = id;
                done.add(pool.submit(() -> {
                    writeThenRead(client, until, reads, stale, onReplica);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info("write-then-read: {} reads, {} stale, {} served by the replica", reads.get(), stale.get(), onReplica.get());
        assertThat(reads.get()).isGreaterThan(500);
        assertThat(stale.get()).isZero();
        String metrics = AdminHttp.get(proxy.adminPort(), "/metrics").body();
        assertThat(metrics).contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_causal\"}")
                .contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_write\"}")
                .contains("meridian_replica_lag_seconds{backend=\"iad-2\"}");
    }

    private static final long TARGET_READS = 20_000;

    private static void writeThenRead(int client, long until, AtomicLong reads, AtomicLong stale, AtomicLong onReplica)
            throws SQLException {
        try (Connection c = connect();
             PreparedStatement write = c.prepareStatement("INSERT INTO ryw VALUES (?, ?)");
             PreparedStatement read = c.prepareStatement(
                     "SELECT coalesce(max(n), -1), pg_is_in_recovery() FROM ryw WHERE client = ?")) {
            for (int n = 0; System.nanoTime() < until && reads.get() < TARGET_READS; n++) {
                write.setInt(1, client);
                write.setInt(2, n);
                write.executeUpdate();
                read.setInt(1, client);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    reads.incrementAndGet();
                    if (rs.getInt(1) != n) {
                        stale.incrementAndGet();
                    }
                    if (rs.getBoolean(2)) {
                        onReplica.incrementAndGet();
                    }
                }
            }
        }
    }

    @Test
    void aReadThatWritesIsReRunOnThePrimaryUnseen() throws Exception {
        // Simple query mode (the extended protocol: the next test).
        try (Connection c = java.sql.DriverManager.getConnection(proxy.jdbcUrl("postgres")
                + "?preferQueryMode=simple&sslmode=disable", "postgres", ""); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                try (ResultSet rs = s.executeQuery("SELECT lower(" + i + "), pg_is_in_recovery()")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(i);
                    assertThat(rs.getBoolean(2)).as("answered by the primary").isFalse();
                }
            }
        }
        String metrics = AdminHttp.get(proxy.adminPort(), "/metrics").body();
        // The re-run wrote: the session's later reads wait for that write (primary_causal), none re-runs again.
        assertThat(metrics).contains("meridian_read_routing_total{backend_region=\"iad\",decision=\"primary_fallback\"}");
        assertThat(sideEffects()).as("each call wrote once, on the primary").isGreaterThanOrEqualTo(5);
    }

    @Test
    void aReadThatWritesIsReRunOnThePrimaryUnseenInTheExtendedProtocol() throws Exception {
        int before = sideEffects();
        int runs = 0;
        // prepareThreshold=1: a named statement from the first run, shared across backend
        // connections; the replica's connection keeps it, so the later clients' Parse is answered
        // by Meridian itself and the re-run on the primary starts from their Bind.
        for (int client = 0; client < 4; client++) {
            try (Connection c = java.sql.DriverManager.getConnection(proxy.jdbcUrl("postgres")
                    + "?prepareThreshold=1&sslmode=disable", "postgres", "");
                 PreparedStatement ps = c.prepareStatement("SELECT lower(?), pg_is_in_recovery()")) {
                for (int i = 0; i < 3; i++, runs++) {
                    ps.setInt(1, 10 * client + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(10 * client + i);
                        assertThat(rs.getBoolean(2)).as("answered by the primary").isFalse();
                    }
                }
            }
        }
        assertThat(sideEffects() - before).as("each run wrote once, on the primary").isEqualTo(runs);
    }

    private static int sideEffects() throws SQLException {
        try (Connection c = PG.server("iad").connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM side_effects")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void setMinLsnIsAnsweredByMeridianAndHonoured() throws Exception {
        String far;
        try (Connection c = PG.server("iad").connect("postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO side_effects DEFAULT VALUES");
            // The insert position: with synchronous_commit=off (these servers) pg_current_wal_lsn()
            // may stop short of the commit, and a replica reaching it has not replayed the write.
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                rs.next();
                far = rs.getString(1);
            }
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET meridian.min_lsn = '" + far + "'");
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("the delayed replica has not replayed it: the primary answers").isFalse();
            }
        }
    }
}
