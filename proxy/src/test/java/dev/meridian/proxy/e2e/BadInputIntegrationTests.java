package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes that are not a PostgreSQL client, on the plain port with {@code proxy_protocol: off}
 * and the default limits. A well-framed but bad startup packet gets a FATAL ErrorResponse with a
 * SQLSTATE and a close; bytes that are no startup packet at all (impossible length: HTTP, a TLS
 * hello, a Terminate before the startup packet) are just closed, as PostgreSQL does; no stack trace on the wire, and the proxy goes on serving: after every
 * test a pgjdbc client still runs a query. (Bytes after an SSLRequest, a missing user, a
 * startup packet over 10000 bytes and a message over the configured limit are in
 * WireIntegrationTests.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = OneRegion.start(PG);
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @AfterEach
    void proxyStillServesOthers() throws Exception {
        try (Connection c = proxy.connect("postgres", "postgres", null);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void httpRequestIsClosedWithoutAnAnswer() throws Exception {
        assertClosedWithoutAnswer(ascii("GET / HTTP/1.1\r\nHost: localhost:5432\r\n\r\n"));
    }

    /** node-postgres's {@code connect(); end()} sends Terminate before any startup packet. */
    @Test
    void terminateBeforeTheStartupPacketIsClosedWithoutAnAnswer() throws Exception {
        assertClosedWithoutAnswer(new byte[] {'X', 0, 0, 0, 4});
    }

    @Test
    void terminateInsteadOfTheStartupPacketAfterAnSslRefusalIsClosedWithoutAnAnswer() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.sslRequest());
            assertThat(c.readByte()).isEqualTo('N');
            c.send(new byte[] {'X', 0, 0, 0, 4});
            assertThat(c.closedByServer()).as("closed, no ErrorResponse").isTrue();
        }
    }

    /**
     * Today 0x16 reads as a startup length of about 370 MB: 08P01. Once direct TLS (PostgreSQL 17)
     * is negotiated, a server without TLS configured may instead just close, as PostgreSQL does;
     * both are clean outcomes for a TLS client, which could not read an ErrorResponse anyway.
     */
    @Test
    void tlsClientHelloOnThePlainPortIsClosedWithoutAnAnswer() throws Exception {
        assertClosedWithoutAnswer(HexFormat.of().parseHex("16030100c8010000c40303"), new byte[32]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1234 << 16 | 5677, 1234 << 16 | 5681, 9999 << 16})
    void unknownRequestCodeIsRefusedWith0A000(int code) throws Exception {
        Map<Character, String> error = refusal(int32(8), int32(code));

        assertThat(error).containsEntry('C', "0A000");
        assertThat(error.get('M')).startsWith("unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xFFFF));
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 3, 7, Integer.MAX_VALUE, -1})
    void invalidStartupLengthIsClosedWithoutAnAnswer(int length) throws Exception {
        assertClosedWithoutAnswer(int32(length), int32(3 << 16));
    }

    @Test
    void truncatedStartupPacketThenCloseIsForgotten() throws Exception {
        byte[] startup = RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres"));
        for (int cut = 1; cut < startup.length; cut += 7) {
            try (RawClient c = client()) {
                c.send(Arrays.copyOf(startup, cut));
            }
        }
        // proxyStillServesOthers() checks the rest: no crash, no stuck event loop.
    }

    @Test
    void emptyUserNameIsRefusedWith28000() throws Exception {
        Map<Character, String> error = refusal(RawClient.startupPacket(3 << 16, Map.of("user", "", "database", "postgres")));

        assertThat(error).containsEntry('C', "28000");
    }

    /**
     * With the default max_message_bytes (1GB) the proxy passes the header on unbuffered and
     * PostgreSQL refuses it (its own limit is 1GB - 1): the client sees that 08P01. A claim over
     * the limit is refused by the proxy itself.
     */
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1 << 30, Integer.MAX_VALUE})
    void messageClaimingAGigabyteOrMoreIsRefused(int length) throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres")));
            c.readUntil('Z');
            c.send(new byte[] {'Q'}, int32(length), ascii("SELECT 1"));
            RawClient.Message m = c.readUntil('E');
            assertThat(m.fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PROXY TCP4 192.0.2.1 192.0.2.2 40000 5432\r\n",
        "\r\n\r\n\u0000\r\nQUIT\n\u0021\u0011\u0000\u000c"})
    void proxyHeaderWhenProxyProtocolIsOffIsABadStartupPacket(String header) throws Exception {
        byte[] bytes = header.getBytes(StandardCharsets.ISO_8859_1);
        assertClosedWithoutAnswer(bytes, RawClient.startupPacket(3 << 16, Map.of("user", "postgres")));
    }

    /** Sends {@code parts} on a new connection: the answer must be one FATAL ErrorResponse, then a close. */
    private static Map<Character, String> refusal(byte[]... parts) throws Exception {
        try (RawClient c = client()) {
            c.send(parts);
            RawClient.Message m = c.read();
            assertThat(m.type()).isEqualTo('E');
            Map<Character, String> fields = m.fields();
            assertThat(fields).containsEntry('S', "FATAL").containsKeys('C', 'M');
            assertThat(fields.get('M')).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(c.closedByServer()).as("closed after the ErrorResponse").isTrue();
            return fields;
        }
    }

    /** Sends {@code parts} on a new connection: the server must close it without a byte, as PostgreSQL does. */
    private static void assertClosedWithoutAnswer(byte[]... parts) throws Exception {
        try (RawClient c = client()) {
            c.send(parts);
            assertThat(c.closedByServer()).as("closed without an answer").isTrue();
        }
    }

    private static RawClient client() throws Exception {
        return new RawClient("127.0.0.1", proxy.port());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] int32(int v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
        return b.toByteArray();
    }
}
