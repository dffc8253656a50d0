package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.backend.health.HealthReport;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The proxy configuration and the waits the health tests share. */
final class HealthTesting {
    /** Short checks keep the tests quick; the timeout is as long as the rules allow, against a loaded machine. */
    static final Duration INTERVAL = Duration.ofMillis(200);
    static final int FALL = 2;
    static final int RISE = 2;
    /** The bound for moving new sessions away: interval × fall, plus one interval. */
    static final Duration DETECTION_BOUND = INTERVAL.multipliedBy(FALL + 1);
    /** Generous: a server restart does crash recovery. */
    static final Duration WAIT = Duration.ofSeconds(30);

    static final String TWO_BACKENDS = """
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
              - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${LHR_PORT}", role: auto, user: postgres, password: "${PGPASS}" }
            """;

    private HealthTesting() {
    }

    /** A proxy in iad with the given backends; {@code pinned} lives in iad only, everything else anywhere. */
    static String yaml(String backends) {
        return """
                listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
                admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
                region: iad
                auth: { method: trust }
                health: { interval: "${INTERVAL}", timeout: "${INTERVAL}", rise: %d, fall: %d, grace_period: "${GRACE:-0s}" }
                backends:
                %s
                databases:
                  pinned: { regions: [iad], backend_database: postgres }
                  far: { regions: [lhr], backend_database: postgres }
                  "*": {}
                """.formatted(RISE, FALL, backends.stripTrailing());
    }

    static Map<String, String> env(PgServer iad, PgServer lhr) {
        Map<String, String> env = new HashMap<>(TwoRegions.env(iad, lhr));
        env.put("INTERVAL", INTERVAL.toMillis() + "ms");
        return env;
    }

    static ProxyFixture twoRegions(PgServer iad, PgServer lhr, Duration interval) throws Exception {
        Map<String, String> env = env(iad, lhr);
        env.put("INTERVAL", interval.toMillis() + "ms");
        return ProxyFixture.start(yaml(TWO_BACKENDS), env);
    }

    static HealthReport health(ProxyFixture proxy) {
        return proxy.server().context().healthMonitor().current();
    }

    /** Until every named backend is up with the given role: probes have logged in and asked. */
    static void awaitRoles(ProxyFixture proxy, Map<String, BackendRole> roles) {
        Await.until(WAIT, () -> roles.entrySet().stream().allMatch(e -> {
            var h = health(proxy).health(e.getKey());
            return h.up() && h.role() == e.getValue();
        }), () -> "roles " + roles + " not seen: " + health(proxy).statuses());
    }

    /** Lets a few more checks run, to show that they change nothing (what is logged, for one). */
    static void letChecksRun(int intervals) throws InterruptedException {
        Thread.sleep(INTERVAL.multipliedBy(Math.max(intervals, 2)).toMillis());
    }

    /** A session for {@code database} is refused with 57P03, before its startup is over, in under a second. */
    static void assertRefusedFast(ProxyFixture proxy, String database) throws Exception {
        long start = System.nanoTime();
        try (RawClient c = new RawClient("127.0.0.1", proxy.port())) {
            c.send(RawClient.startupPacket(196608, Map.of("user", "postgres", "database", database)));
            RawClient.Message m = c.readUntil('E');
            long elapsed = System.nanoTime() - start;
            assertThat(m.fields()).containsEntry('S', "FATAL").containsEntry('C', "57P03");
            assertThat(m.fields().get('M')).isEqualTo("no backend available for database \"" + database
                    + "\" in regions iad");
            assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(1));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /** Starts every server that a test killed, so the next test finds them all running. */
    static void restartIfDown(PgServer... servers) {
        for (PgServer s : servers) {
            if (!s.isAcceptingConnections()) {
                s.start();
            }
        }
    }

    /** A raw-wire session through the proxy, logged in and ready for a query. */
    static RawClient session(ProxyFixture proxy, String database) throws IOException {
        RawClient c = new RawClient("127.0.0.1", proxy.port());
        c.send(RawClient.startupPacket(196608, Map.of("user", "postgres", "database", database)));
        c.readUntil('Z');
        return c;
    }

    static byte[] copyData(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(5 + data.length).put((byte) 'd').putInt(4 + data.length).put(data);
        return b.array();
    }

    /** Until {@code count} sessions run a statement LIKE {@code query} on the server itself. */
    static void awaitActive(PgServer server, String query, int count) {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '"
                + query.replace("'", "''") + "'";
        Await.until(WAIT, () -> Integer.toString(count).equals(server.query("postgres", sql)),
                () -> count + " sessions not running " + query);
    }

    /** Reads until an ErrorResponse or the end of the stream; says which it was. */
    static String drain(RawClient c) throws IOException {
        try {
            while (true) {
                RawClient.Message m = c.read();
                if (m.type() == 'E') {
                    return "ErrorResponse " + m.fields().get('C') + ", then closed: " + c.closedByServer();
                }
            }
        } catch (EOFException e) {
            return "closed";
        }
    }
}
