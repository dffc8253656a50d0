package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.meridian.protocol.auth.Md5;
import dev.meridian.protocol.auth.ScramVerifier;
import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an unauthenticated peer can learn or cost (issue #16, items 1, 5 and 8), under
 * {@code auth.method: md5} with a users file holding an md5 user, a SCRAM-stored user and the
 * console user: every name gets the same md5 challenge; the console asks for a password before
 * saying a name is not an admin; a password message claiming 10^9 bytes is refused from its
 * header; a database name holding a newline is logged escaped. And trust with a users file
 * admits only the listed users.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PreAuthSecurityIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String ALICE_PASSWORD = "alice-secret";
    static final String CAROL_PASSWORD = "carol-secret";
    static final String OPS_PASSWORD = "ops-secret";

    static Path users;
    static ProxyFixture md5;
    static ProxyFixture trust;

    @BeforeAll
    static void start() throws Exception {
        users = Files.createTempFile("meridian-sec-users", ".txt");
        Files.writeString(users, "\"alice\" \"" + Md5.passwordHash("alice", ALICE_PASSWORD) + "\"\n"
                + "\"carol\" \"" + ScramVerifier.generate(CAROL_PASSWORD).encode() + "\"\n"
                + "\"ops\" \"" + Md5.passwordHash("ops", OPS_PASSWORD) + "\"\n");
        Map<String, String> env = OneRegion.env(PG, Map.of("USERS", users.toString()));
        md5 = ProxyFixture.start(OneRegion.yaml(
                "admin: { host: 127.0.0.1, port: \"${ADMIN_PORT}\", users: [ops] }",
                "auth: { method: md5, users_file: \"${USERS}\" }"), env);
        trust = ProxyFixture.start(OneRegion.yaml("auth: { method: trust, users_file: \"${USERS}\" }"), env);
    }

    @AfterAll
    static void stop() throws Exception {
        if (md5 != null) {
            md5.close();
        }
        if (trust != null) {
            trust.close();
        }
        Files.deleteIfExists(users);
    }

    private static RawClient startup(ProxyFixture proxy, String user, String database) throws Exception {
        RawClient c = new RawClient("127.0.0.1", proxy.port());
        c.send(RawClient.startupPacket(3 << 16, Map.of("user", user, "database", database)));
        return c;
    }

    /** The authentication request code of an 'R' message, and its body length. */
    private static int[] authRequest(RawClient.Message m) {
        assertThat(m.type()).as("an authentication request, not " + m.text()).isEqualTo('R');
        return new int[] {ByteBuffer.wrap(m.body()).getInt(), m.body().length};
    }

    @Test
    void unknownAndScramStoredUsersGetTheSameMd5ChallengeAsAKnownMd5User() throws Exception {
        for (String user : new String[] {"alice", "carol", "nobody-here"}) {
            try (RawClient c = startup(md5, user, "postgres")) {
                assertThat(authRequest(c.read())).as(user).containsExactly(5, 8); // AuthenticationMD5Password + salt
            }
        }
    }

    @Test
    void theConsoleAsksForAPasswordBeforeRefusingANonAdmin() throws Exception {
        for (String user : new String[] {"alice", "nobody-here", "ops"}) {
            try (RawClient c = startup(md5, user, "meridian")) {
                assertThat(authRequest(c.read())).as(user).containsExactly(5, 8);
            }
        }
        PgEndpoint proxy = new PgEndpoint("127.0.0.1", md5.port());
        ProcessResult alice = PgTools.local().psql(proxy, "alice", ALICE_PASSWORD, "meridian", "-c", "SHOW HELP");
        assertThat(alice.exitCode()).isEqualTo(2);
        assertThat(alice.stderr()).contains("may not use the admin console");
        ProcessResult wrong = PgTools.local().psql(proxy, "alice", "wrong", "meridian", "-c", "SHOW HELP");
        assertThat(wrong.stderr()).contains("password authentication failed").doesNotContain("admin console");
        ProcessResult ops = PgTools.local().psql(proxy, "ops", OPS_PASSWORD, "meridian", "-c", "SHOW HELP");
        assertThat(ops.exitCode()).as(ops.stderr()).isZero();
    }

    @Test
    void aPasswordMessageClaimingOneGigabyteIsRefusedFromItsHeader() throws Exception {
        try (RawClient c = startup(md5, "alice", "postgres")) {
            authRequest(c.read());
            // 'p', length 10^9, then a trickle of body that must never be buffered toward 1 GB.
            c.send(new byte[] {'p', 0x3b, (byte) 0x9a, (byte) 0xca, 0x00}, new byte[1000]);
            RawClient.Message error = c.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01");
            assertThat(error.fields().get('M')).isEqualTo(
                    "message of 1000000000 bytes exceeds the limit of 65539 bytes before authentication");
            assertThat(error.text()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aDatabaseNameWithANewlineIsLoggedEscaped() throws Exception {
        try (LogCapture log = LogCapture.of("dev.meridian.proxy");
             RawClient c = startup(md5, "alice", "nosuch\n2026-12-04 FORGED line")) {
            RawClient.Message request = c.read();
            byte[] salt = Arrays.copyOfRange(request.body(), 4, 8);
            c.send(passwordMessage(Md5.clientResponseFromPassword("alice", ALICE_PASSWORD, salt)));
            RawClient.Message error = c.readUntil('E');
            assertThat(error.fields()).containsEntry('C', "3D000");
            assertThat(log.matching(Level.INFO, "nosuch\\n2026-12-04 FORGED line")).isNotEmpty();
            assertThat(log.matching(Level.INFO, "\n")).isEmpty();
            assertThat(log.matching(Level.DEBUG, "\n")).isEmpty();
        }
    }

    @Test
    void trustWithAUsersFileAdmitsOnlyListedUsers() throws Exception {
        try (Connection c = trust.connect("postgres", "alice", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        assertThatThrownBy(() -> trust.connect("postgres", "mallory", null).close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).contains("password authentication failed for user \"mallory\"");
                });
    }

    private static byte[] passwordMessage(String password) {
        byte[] text = (password + "\0").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('p');
        out.writeBytes(ByteBuffer.allocate(4).putInt(text.length + 4).array());
        out.writeBytes(text);
        return out.toByteArray();
    }
}
