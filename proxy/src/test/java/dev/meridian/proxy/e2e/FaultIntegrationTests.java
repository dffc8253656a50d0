package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.localpg.Await;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.SilentServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults with real servers: a backend that never answers, a client that vanishes mid-result. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth: { method: trust }
            limits: { startup_timeout: 2s }
            health: { interval: 10s, timeout: 2s, grace_period: 1h }
            backends:
              - { name: silent, region: iad, host: 127.0.0.1, port: "${SILENT_PORT}", user: postgres, password: x, tls: { mode: disable } }
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              "*": { regions: [iad] }
            """;

    static SilentServer silent;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        silent = new SilentServer();
        proxy = ProxyFixture.start(CONFIG, Map.of("SILENT_PORT", Integer.toString(silent.port()),
                "IAD_PORT", Integer.toString(PG.server("iad").port()), "PGPASS", PgServer.SUPERUSER_PASSWORD));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        silent.close();
    }

    @Test
    void aBackendThatAcceptsButNeverAnswersIsLeftForTheNextCandidate() throws Exception {
        long start = System.nanoTime();
        try (Connection c = proxy.connect("postgres", "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SHOW port")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(Integer.toString(PG.server("iad").port()));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("session failed over from the silent backend in " + ms + " ms");
        assertThat(ms).as("within the login timeout plus margin").isLessThan(10_000);
    }

    @Test
    void aClientThatVanishesMidResultLeavesNoBackendBehind() throws Exception {
        String marker = "vanishing_" + System.nanoTime();
        awaitPoolSettled();
        int idleBefore = proxy.server().context().pool().idleCount("iad-1").getAsInt();
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = s.getOutputStream();
            Map<String, String> params = new LinkedHashMap<>();
            params.put("user", "postgres");
            params.put("database", "postgres");
            params.put("application_name", marker);
            out.write(RawClient.startupPacket(3 << 16, params));
            out.flush();
            InputStream in = s.getInputStream();
            waitForReady(in);
            out.write(RawClient.query("SELECT repeat('x', 1000) FROM generate_series(1, 2000000)"));
            out.flush();
            in.readNBytes(64 * 1024); // a first part of the result, then the client is gone
            s.setSoLinger(true, 0);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String count;
        do {
            Thread.sleep(100);
            count = PG.server("iad").query("postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + marker + "'");
        } while (!"0".equals(count) && System.nanoTime() < deadline);
        // A pooled connection keeps its startup application_name (DISCARD ALL restores it): gone means closed.
        assertThat(count).as("the backend session of the vanished client is gone, not pooled").isEqualTo("0");
        assertThat(proxy.server().context().pool().idleCount("iad-1").getAsInt()).isLessThanOrEqualTo(idleBefore);
    }

    /**
     * Until every connection an earlier test gave back has finished its reset: the pool counts a
     * connection idle only once its DISCARD ALL is answered, and the server sees it all along.
     */
    private static void awaitPoolSettled() {
        String held = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " AND application_name <> 'meridian-health' AND pid <> pg_backend_pid()";
        var pool = proxy.server().context().pool();
        Await.until(Duration.ofSeconds(20), () -> pool.activeCount("iad-1").getAsInt() == 0
                && Integer.toString(pool.idleCount("iad-1").getAsInt()).equals(PG.server("iad").query("postgres", held)),
                () -> "pool of iad-1 not settled");
    }

    /** Reads until the first ReadyForQuery ('Z', length 5, status). */
    private static void waitForReady(InputStream in) throws Exception {
        while (true) {
            int type = in.read();
            byte[] len = in.readNBytes(4);
            int n = ((len[0] & 0xFF) << 24 | (len[1] & 0xFF) << 16 | (len[2] & 0xFF) << 8 | (len[3] & 0xFF)) - 4;
            in.readNBytes(n);
            if (type == 'Z') {
                return;
            }
        }
    }
}
