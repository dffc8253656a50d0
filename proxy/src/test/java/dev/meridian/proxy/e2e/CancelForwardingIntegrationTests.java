package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.cluster.InstanceTag;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * Two Meridian instances in front of one PostgreSQL, each with the other as a peer (one shared
 * peer list, as on Fly), plus a third "instance" that only records what it is sent. A cancel for
 * a session on A that reaches B is forwarded to A and cancels the query; keys nobody issued are
 * dropped; a forwarded cancel never travels a second hop.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CancelForwardingIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${MY_PORT}", proxy_protocol: "${PP}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              "*": { regions: [iad] }
            cluster:
              instance: "${ME}"
              peers:
                - { instance: meridian-a, host: 127.0.0.1, port: "${A_PORT}" }
                - { instance: meridian-b, host: 127.0.0.1, port: "${B_PORT}" }
                - { instance: meridian-c, host: 127.0.0.1, port: "${C_PORT}" }
            """;
    private static final int CANCEL_REQUEST_CODE = 80877102;
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    static CancelRecorder c;
    static ProxyFixture a;
    static ProxyFixture b;

    @BeforeAll
    static void start() throws Exception {
        c = new CancelRecorder();
        int aPort = ProxyFixture.freePort();
        int bPort = ProxyFixture.freePort();
        a = ProxyFixture.start(CONFIG, env("meridian-a", aPort, aPort, bPort, c.port(), "off"));
        b = ProxyFixture.start(CONFIG, env("meridian-b", bPort, aPort, bPort, c.port(), "off"));
    }

    static Map<String, String> env(String me, int myPort, int aPort, int bPort, int cPort, String proxyProtocol) {
        Map<String, String> env = new HashMap<>();
        env.put("ME", me);
        env.put("MY_PORT", Integer.toString(myPort));
        env.put("A_PORT", Integer.toString(aPort));
        env.put("B_PORT", Integer.toString(bPort));
        env.put("C_PORT", Integer.toString(cPort));
        env.put("PP", proxyProtocol);
        env.put("IAD_PORT", Integer.toString(PG.server("iad").port()));
        env.put("PGPASS", PgServer.SUPERUSER_PASSWORD);
        return env;
    }

    @AfterAll
    static void stop() throws IOException {
        for (ProxyFixture p : new ProxyFixture[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
        if (c != null) {
            c.close();
        }
    }

    @Test
    void aCancelThatLandsOnTheSiblingCancelsTheQueryOnItsOwnInstance() throws Exception {
        assertCancelledThroughSibling("jdbc:postgresql://127.0.0.1:" + a.port() + "/postgres", b.port(), "via-b");
    }

    @Test
    void keysNobodyIssuedAreDroppedAndNothingBreaks() throws Exception {
        InstanceTag nobody = InstanceTag.of("meridian-nobody");
        try (Connection session = a.connect("postgres", "postgres", null)) {
            CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> one(session,
                    "SELECT 'slept' FROM pg_sleep(2) /* garbage-keys */"));
            awaitRunning("garbage-keys");
            for (byte[] garbage : new byte[][] {
                cancel(InstanceTag.of("meridian-a").processId(0x1234), new byte[] {1, 2, 3, 4}), // forwarded to A, unknown
                cancel(InstanceTag.of("meridian-b").processId(0x1234), new byte[] {1, 2, 3, 4}), // B's own tag, unknown
                cancel(nobody.processId(0x1234), new byte[] {1, 2, 3, 4}),                       // no such instance
                cancel(InstanceTag.of("meridian-a").processId(7), filled(256)),                 // protocol 3.2 length
                cancel(-1, new byte[] {1, 2, 3, 4}),
            }) {
                try (RawClient client = new RawClient("127.0.0.1", b.port())) {
                    client.send(garbage);
                    assertThat(client.closedByServer()).as("closed without an answer").isTrue();
                }
            }
            assertThat(sleeping.get(20, TimeUnit.SECONDS)).isEqualTo("slept");
        }
        assertThat(c.next(500)).as("nothing went to the recording instance").isNull();
        for (ProxyFixture p : new ProxyFixture[] {a, b}) {
            try (Connection conn = p.connect("postgres", "postgres", null)) {
                assertThat(one(conn, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void aForwardedCancelTravelsOneHopOnly() throws Exception {
        byte[] clientKey = cancel(InstanceTag.of("meridian-c").processId(0x4242), new byte[] {9, 8, 7, 6});
        try (RawClient client = new RawClient("127.0.0.1", b.port())) {
            client.send(clientKey);
            assertThat(client.closedByServer()).isTrue();
        }

        byte[] forwarded = c.next(5_000);
        assertThat(forwarded).as("B forwards a key tagged meridian-c to meridian-c, marked")
                .isEqualTo(cancel(InstanceTag.of("meridian-c").processId(0x4242), new byte[] {9, 8, 7, 6, 'M', 'F', 'W', 'D'}));

        // A meridian-c whose own peer entries were wrong would send it back: it stops there.
        for (ProxyFixture p : new ProxyFixture[] {a, b}) {
            try (RawClient client = new RawClient("127.0.0.1", p.port())) {
                client.send(forwarded);
                assertThat(client.closedByServer()).isTrue();
            }
        }
        assertThat(c.next(1_500)).as("a marked cancel is never forwarded again").isNull();
    }

    @Test
    void behindListenersThatRequireAProxyHeaderTheForwardStartsWithALocalHeader() throws Exception {
        byte[] v1 = "PROXY TCP4 192.0.2.1 127.0.0.1 40000 5432\r\n".getBytes(StandardCharsets.US_ASCII);
        int aPort = ProxyFixture.freePort();
        int bPort = ProxyFixture.freePort();
        try (CancelRecorder recorder = new CancelRecorder();
             ProxyFixture pa = ProxyFixture.start(CONFIG, env("meridian-a", aPort, aPort, bPort, recorder.port(), "required"));
             ProxyFixture pb = ProxyFixture.start(CONFIG, env("meridian-b", bPort, aPort, bPort, recorder.port(), "required"));
             ProxyProtocolRelay toA = ProxyProtocolRelay.start(pa.port(), v1);
             ProxyProtocolRelay toB = ProxyProtocolRelay.start(pb.port(), v1)) {
            // Client → load balancer → A; its cancel → load balancer → B → straight to A's port.
            assertCancelledThroughSibling("jdbc:postgresql://127.0.0.1:" + toA.port() + "/postgres", toB.port(), "required");

            try (RawClient client = new RawClient("127.0.0.1", toB.port())) {
                client.send(cancel(InstanceTag.of("meridian-c").processId(1), new byte[] {1, 2, 3, 4}));
                assertThat(client.closedByServer()).isTrue();
            }
            byte[] forwarded = recorder.next(5_000);
            assertThat(forwarded).hasSize(16 + 20);
            assertThat(Arrays.copyOf(forwarded, 12)).isEqualTo(V2_SIGNATURE);
            assertThat(Arrays.copyOfRange(forwarded, 12, 16)).as("v2 LOCAL, no addresses").containsExactly(0x20, 0, 0, 0);
        }
    }

    /** Runs {@code pg_sleep(20)} through {@code url} with pgjdbc and cancels it with pgjdbc, the cancel sent to {@code cancelPort}. */
    private static void assertCancelledThroughSibling(String url, int cancelPort, String marker) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("sslmode", "disable");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketFactory", SiblingCancelSockets.class.getName());
        props.setProperty("socketFactoryArg", Integer.toString(cancelPort));
        try (Connection conn = DriverManager.getConnection(url, props); Statement s = conn.createStatement()) {
            AtomicLong cancelledAt = new AtomicLong();
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                awaitRunning(marker);
                cancelledAt.set(System.nanoTime());
                try {
                    s.cancel();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20) /* " + marker + " */"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt.get());
            canceller.get(10, TimeUnit.SECONDS);
            assertThat(tookMillis).as("query ended after the cancel").isLessThan(5_000);
            assertThat(one(conn, "SELECT 1")).as("the session goes on").isEqualTo("1");
        }
    }

    /** Waits until PostgreSQL runs the statement tagged {@code marker}: a cancel sent earlier would cancel nothing. */
    private static void awaitRunning(String marker) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%/* " + marker + " */'"
                + " AND pid <> pg_backend_pid()";
        while (!"1".equals(PG.server("iad").query("postgres", sql))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("statement " + marker + " never started");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String one(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] cancel(int processId, byte[] secret) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(12 + secret.length);
        out.writeInt(CANCEL_REQUEST_CODE);
        out.writeInt(processId);
        out.write(secret);
        return bytes.toByteArray();
    }

    private static byte[] filled(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 0x5a);
        return b;
    }
}
