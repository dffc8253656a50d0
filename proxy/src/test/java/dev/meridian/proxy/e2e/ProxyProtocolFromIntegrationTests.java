package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.io.EOFException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code listen.proxy_protocol_from} (issue #16, item 6): a PROXY header is believed only from a
 * listed peer. The test's connections come from 127.0.0.1 with a header claiming 203.0.113.7;
 * the admin console's SHOW CLIENTS shows which address the session was given (the same address
 * routing and the login backoff use).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProxyProtocolFromIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String SPOOFED = "203.0.113.7";

    private static ProxyFixture proxy(String mode, String from) throws Exception {
        return OneRegion.start(PG,
                "listen: { host: 127.0.0.1, port: \"${PROXY_PORT}\", proxy_protocol: " + mode
                        + (from == null ? "" : ", proxy_protocol_from: [ " + from + " ]") + " }",
                "admin: { host: 127.0.0.1, port: \"${ADMIN_PORT}\", users: [ops] }");
    }

    private static RawClient spoofedSession(ProxyFixture proxy) throws Exception {
        RawClient c = new RawClient("127.0.0.1", proxy.port());
        c.send(("PROXY TCP4 " + SPOOFED + " 127.0.0.1 40000 5432\r\n").getBytes(StandardCharsets.US_ASCII),
                RawClient.startupPacket(3 << 16, Map.of("user", PgServer.SUPERUSER, "database", "postgres")));
        return c;
    }

    private static String clients(ProxyFixture proxy) {
        ProcessResult r = PgTools.local().psql(new PgEndpoint("127.0.0.1", proxy.port()), "ops", null, "meridian",
                "-c", "SHOW CLIENTS");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void optionalIgnoresAHeaderFromAnUnlistedPeer() throws Exception {
        try (ProxyFixture proxy = proxy("optional", "192.0.2.0/24"); RawClient c = spoofedSession(proxy)) {
            c.readUntil('Z');
            assertThat(clients(proxy)).contains("127.0.0.1").doesNotContain(SPOOFED);
        }
    }

    @Test
    void optionalBelievesAListedPeer() throws Exception {
        try (ProxyFixture proxy = proxy("optional", "127.0.0.1/32"); RawClient c = spoofedSession(proxy)) {
            c.readUntil('Z');
            assertThat(clients(proxy)).contains(SPOOFED);
        }
    }

    @Test
    void optionalWithoutTheKeyBelievesOnlyPrivatePeersSuchAsLoopback() throws Exception {
        try (ProxyFixture proxy = proxy("optional", null); RawClient c = spoofedSession(proxy)) {
            c.readUntil('Z');
            assertThat(clients(proxy)).contains(SPOOFED);
        }
    }

    @Test
    void requiredClosesAHeaderFromAnUnlistedPeerWithoutAnswer() throws Exception {
        try (ProxyFixture proxy = proxy("required", "192.0.2.0/24"); RawClient c = spoofedSession(proxy)) {
            try {
                assertThat(c.readByte()).isEqualTo(-1);
            } catch (SocketException | EOFException e) {
                // a reset is as good as a close: nothing was answered
            }
        }
    }
}
