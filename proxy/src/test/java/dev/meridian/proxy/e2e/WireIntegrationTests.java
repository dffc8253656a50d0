package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Startup-phase wire behaviour that real drivers cannot provoke, over a raw socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").server("lhr").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE DATABASE orders");
        proxy = ProxyFixture.start(TwoRegions.YAML, Map.of(
                "IAD_PORT", Integer.toString(PG.server("iad").port()),
                "LHR_PORT", Integer.toString(PG.server("lhr").port()),
                "PGPASS", dev.meridian.proxy.testing.PgServer.SUPERUSER_PASSWORD,
                "STARTUP_TIMEOUT", "1s"));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private RawClient client() throws Exception {
        return new RawClient("127.0.0.1", proxy.port());
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void sslRequestIsAnsweredNAndPlainStartupFollows() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.sslRequest());
            assertThat(c.readByte()).isEqualTo('N');
            c.send(RawClient.startupPacket(3 << 16, params("user", "postgres", "database", "orders")));
            assertThat(c.read().type()).isEqualTo('R');
            assertThat(c.readUntil('Z').text()).isEqualTo("I");
        }
    }

    @Test
    void bytesPipelinedBehindSslRequestAreRefused() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.sslRequest(), RawClient.startupPacket(3 << 16, params("user", "postgres")));
            RawClient.Message m = c.read();
            assertThat(m.type()).isEqualTo('E');
            assertThat(m.fields().get('C')).isEqualTo("08P01");
            assertThat(m.fields().get('M')).isEqualTo("received unencrypted data after SSL request");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void newerMinorVersionAndProtocolOptionsAreNegotiatedNotRefused() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startupPacket(3 << 16 | 2,
                    params("user", "postgres", "database", "orders", "_pq_.compression", "on")));
            RawClient.Message v = c.read();
            assertThat(v.type()).isEqualTo('v');
            assertThat(v.body()).startsWith(0, 0, 0, 0, 0, 0, 0, 1);
            assertThat(v.text()).contains("_pq_.compression");
            assertThat(c.read().type()).isEqualTo('R');
            c.readUntil('Z');
            c.send(RawClient.query("SELECT current_database()"));
            RawClient.Message row = c.readUntil('D');
            assertThat(row.text()).endsWith("orders");
        }
    }

    @Test
    void missingUserIsRefusedWith28000() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startupPacket(3 << 16, params("database", "orders")));
            RawClient.Message m = c.read();
            assertThat(m.type()).isEqualTo('E');
            assertThat(m.fields().get('C')).isEqualTo("28000");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void protocolTwoIsRefusedWith0A000() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startupPacket(2 << 16, params("user", "postgres")));
            RawClient.Message m = c.read();
            assertThat(m.fields().get('C')).isEqualTo("0A000");
        }
    }

    @Test
    void oversizedStartupPacketIsClosedWithoutAnAnswer() throws Exception {
        try (RawClient c = client()) {
            c.send(new byte[] {0, 0, 0x27, 0x11, 0, 3, 0, 0});
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedMessageAfterStartupIsRefusedWithoutReadingIt() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startupPacket(3 << 16, params("user", "postgres", "database", "orders")));
            c.readUntil('Z');
            c.send(new byte[] {'Q', 0x40, 0, 0, 0});
            RawClient.Message m = c.read();
            assertThat(m.type()).isEqualTo('E');
            assertThat(m.fields().get('S')).isEqualTo("FATAL");
            assertThat(m.fields().get('C')).isEqualTo("08P01");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void silentClientIsClosedAfterTheStartupTimeout() throws Exception {
        try (RawClient c = client()) {
            long start = System.nanoTime();
            RawClient.Message m = c.read();
            assertThat(m.fields().get('C')).isEqualTo("08P01");
            assertThat(c.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 5000L);
        }
    }

    @Test
    void pipelinedQueryBehindStartupIsAnswered() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startupPacket(3 << 16, params("user", "postgres", "database", "orders")),
                    RawClient.query("SELECT 'pipelined'"));
            c.readUntil('Z');
            assertThat(c.readUntil('D').text()).endsWith("pipelined");
            assertThat(c.readUntil('Z').text()).isEqualTo("I");
        }
    }
}
