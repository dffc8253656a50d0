package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.meridian.proxy.session.ProxyHeaders;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.EOFException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code listen.proxy_protocol: required}: a connection must start with a valid PROXY header
 * (v1 or v2). A malformed one, or none, ends the connection at once, well before the startup
 * timeout: with an 08P01 ErrorResponse or with a bare close (the PROXY protocol has no error
 * reply; the spec says to drop the connection), and never with any startup-phase answer. A
 * well-formed header followed by a startup packet is served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolRequiredIntegrationTests {
    private static final long STARTUP_TIMEOUT_MILLIS = 10_000;

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = OneRegion.start(PG, "listen: { host: 127.0.0.1, port: \"${PROXY_PORT}\", proxy_protocol: required }");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "PROXY TCP4 192.0.2.1 192.0.2.2 40000\r\n",          // a port missing
        "PROXY TCP4 300.0.2.1 192.0.2.2 40000 5432\r\n",     // not an address
        "PROXY SCTP 192.0.2.1 192.0.2.2 40000 5432\r\n",     // unknown protocol
        "PROXY TCP4 192.0.2.1 192.0.2.2 40000 5432 and then some more text well past the 108 bytes allowed\r\n",
        "\r\n\r\n\u0000\r\nQUIT\n\u0031\u0011\u0000\u000c", // v2 signature, version 3
        "\r\n\r\n\u0000\r\nQUIT\n\u0021\u0011\u0000\u0004",  // v2, address block too short for TCP4
    })
    void malformedHeaderEndsTheConnectionAtOnce(String header) throws Exception {
        assertEndedAtOnce(header.getBytes(StandardCharsets.ISO_8859_1),
                RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres")));
    }

    @Test
    void startupWithoutAHeaderEndsTheConnectionAtOnce() throws Exception {
        assertEndedAtOnce(RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres")),
                new byte[120]);
    }

    @Test
    void validHeaderThenStartupIsServed() throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", proxy.port())) {
            c.send("PROXY TCP4 192.0.2.1 192.0.2.2 40000 5432\r\n".getBytes(StandardCharsets.US_ASCII),
                    RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres")));
            assertThat(c.readUntil('Z').text()).isEqualTo("I");
        }
    }

    /**
     * A v2 TLV whose length runs past the header (Netty throws IndexOutOfBoundsException there):
     * 200 such connections log one line, not 200 stack traces, and the proxy keeps serving.
     */
    @Test
    void malformedTlvsAreLoggedOncePerMinuteNotPerConnection() throws Exception {
        byte[] addresses = ProxyHeaders.concat(new byte[] {(byte) 192, 0, 2, 1, (byte) 192, 0, 2, 2, 0x4e, 0x20, 0x15, 0x38},
                new byte[] {0x01, 0x01, 0x00, 'h', 'i'});
        byte[] header = ProxyHeaders.v2(0x21, 0x11, addresses);
        try (LogCapture log = LogCapture.of("dev.meridian.proxy")) {
            for (int i = 0; i < 200; i++) {
                assertEndedAtOnce(header, RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres")));
            }
            assertThat(log.matching(Level.ERROR, "")).as("no error, no stack trace per connection").isEmpty();
            assertThat(log.matching(Level.WARN, "malformed PROXY protocol header")).hasSize(1);
        }
        validHeaderThenStartupIsServed();
    }

    private static void assertEndedAtOnce(byte[]... parts) throws Exception {
        long start = System.nanoTime();
        try (RawClient c = new RawClient("127.0.0.1", proxy.port())) {
            c.send(parts);
            try {
                RawClient.Message m = c.read();
                assertThat(m.type()).as("the only acceptable answer is an ErrorResponse").isEqualTo('E');
                assertThat(m.fields()).containsEntry('C', "08P01");
                assertThat(c.closedByServer()).isTrue();
            } catch (EOFException | SocketException closed) {
                // A bare close: what the PROXY protocol specification asks for.
            }
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(STARTUP_TIMEOUT_MILLIS / 2);
    }
}
