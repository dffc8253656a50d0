package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.auth.ScramClient;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * {@code auth.failure_backoff} end to end: wrong passwords from one client address (its PROXY
 * header's source, so every test has addresses of its own) are answered ever later, always with
 * 28P01, while other addresses are answered at once. Timings are lower bounds only, except that
 * an innocent login must beat the delay the guilty address would get.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthBackoffIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    /** Failures 1-2 on time, then 1s, 2s, 4s, 4s ...; the startup deadline is shorter than the cap. */
    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}", proxy_protocol: optional }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            auth:
              users_file: "${USERS}"
              method: scram-sha-256
              failure_backoff: { after: 2, initial: 1s, max: 4s, window: 1m }
            limits: { startup_timeout: 3s }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: postgres, password: "${PGPASS}" }
            databases:
              "*": { regions: [iad] }
            """;
    static final String PASSWORD = "alice-secret";

    static ProxyFixture proxy;

    /** Deleted by JUnit after the class, so no meridian-* file is left in the temp folder. */
    @TempDir
    static Path usersDir;

    @BeforeAll
    static void start() throws Exception {
        Path users = Files.writeString(usersDir.resolve("users.txt"), "\"alice\" \"" + PASSWORD + "\"\n");
        proxy = ProxyFixture.start(CONFIG, Map.of("USERS", users.toString(),
                "IAD_PORT", Integer.toString(PG.server("iad").port()), "PGPASS", PgServer.SUPERUSER_PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void laterFailuresFromOneAddressAreAnsweredLaterAndLaterStillWith28P01() throws Exception {
        try (ProxyProtocolRelay attacker = relayFrom("203.0.113.10")) {
            List<Long> took = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                took.add(failedLogin(attacker.port()));
            }
            System.out.println("failed logins answered after (ms): " + took);
            assertThat(took.get(2)).as("3rd failure: initial delay").isGreaterThanOrEqualTo(1000);
            assertThat(took.get(3)).as("4th: doubled").isGreaterThanOrEqualTo(2000);
            assertThat(took.get(4)).as("5th: the cap, longer than limits.startup_timeout, yet 28P01")
                    .isGreaterThanOrEqualTo(4000);
            assertThat(failures("203.0.113.10")).isEqualTo(5);
        }
    }

    @Test
    void otherAddressesAreAnsweredAtOnceWhileOneIsBackedOff() throws Exception {
        try (ProxyProtocolRelay attacker = relayFrom("203.0.113.20");
             ProxyProtocolRelay neighbour = relayFrom("198.51.100.20")) {
            for (int i = 0; i < 4; i++) {
                failedLogin(attacker.port()); // the next failure from there would wait the 4s cap
            }
            long viaSameBalancer = timed(() -> login(neighbour.port()));
            long direct = timed(() -> login(proxy.port()));
            long wrongNeighbour = failedLogin(neighbour.port());
            System.out.println("while backed off, neighbour login " + viaSameBalancer + " ms, direct "
                    + direct + " ms, neighbour failure " + wrongNeighbour + " ms");
            assertThat(List.of(viaSameBalancer, direct, wrongNeighbour)).allMatch(ms -> ms < 4000);
            assertThat(failures("203.0.113.20")).isEqualTo(4);
        }
    }

    @Test
    void aSuccessfulLoginForgivesItsAddress() throws Exception {
        try (ProxyProtocolRelay client = relayFrom("203.0.113.30")) {
            for (int i = 0; i < 3; i++) {
                failedLogin(client.port());
            }
            assertThat(failures("203.0.113.30")).isEqualTo(3);
            login(client.port());
            assertThat(failures("203.0.113.30")).isZero();
            failedLogin(client.port());
            assertThat(failures("203.0.113.30")).isEqualTo(1);
        }
    }

    @Test
    void onTheWireTheLateAnswerIsAFatal28P01ThenCloseAndPipelinedBytesAreIgnored() throws Exception {
        try (ProxyProtocolRelay client = relayFrom("203.0.113.40")) {
            failedLogin(client.port());
            failedLogin(client.port());
            try (RawClient c = new RawClient("127.0.0.1", client.port())) {
                ScramClient scram = ScramClient.withPassword("wrong");
                c.send(RawClient.startupPacket(196608, Map.of("user", "alice", "database", "postgres")));
                assertThat(c.read().type()).isEqualTo('R'); // AuthenticationSASL
                c.send(saslInitial(scram.mechanism(), scram.clientFirstMessage()));
                RawClient.Message serverFirst = c.read();
                assertThat(serverFirst.type()).isEqualTo('R');
                byte[] first = Arrays.copyOfRange(serverFirst.body(), 4, serverFirst.body().length);
                long start = System.nanoTime();
                // The wrong proof, and behind it a message that would be a protocol violation if read.
                c.send(saslResponse(scram.clientFinalMessage(first)), RawClient.query("SELECT 1"));
                RawClient.Message answer = c.read();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(answer.type()).isEqualTo('E');
                assertThat(answer.fields()).containsEntry('S', "FATAL").containsEntry('C', "28P01")
                        .containsEntry('M', "password authentication failed for user \"alice\"");
                assertThat(ms).isGreaterThanOrEqualTo(1000);
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    static ProxyProtocolRelay relayFrom(String sourceIp) throws Exception {
        String header = "PROXY TCP4 " + sourceIp + " 127.0.0.1 40000 5432\r\n";
        return ProxyProtocolRelay.start(proxy.port(), header.getBytes(StandardCharsets.US_ASCII));
    }

    static long failures(String ip) throws Exception {
        return proxy.server().context().failedLogins().failures(InetAddress.getByName(ip));
    }

    /** A pgjdbc login with the wrong password; asserts 28P01 and says how long the answer took. */
    static long failedLogin(int port) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect(port, "not-" + PASSWORD).close())
                .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static void login(int port) throws SQLException {
        try (Connection c = connect(port, PASSWORD); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    static Connection connect(int port, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "alice");
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "20");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    interface Step {
        void run() throws Exception;
    }

    static long timed(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static byte[] saslInitial(String mechanism, byte[] data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes((mechanism + "\0").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        body.writeBytes(data);
        return message('p', body.toByteArray());
    }

    static byte[] saslResponse(byte[] data) {
        return message('p', data);
    }

    static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }
}
