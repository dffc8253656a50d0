package dev.meridian.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** PostgreSQL's md5 password scheme. */
class Md5Test {

    private static final byte[] SALT = {0x01, (byte) 0xAB, 0x7F, (byte) 0x80};
    private static final String STORED = "md53175bce1d3201d16594cebf9d7eb3f9d";

    /** The md5 response computed the long way, independently of {@link Md5}. */
    private static String independentResponse(String user, String password, byte[] salt) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        String inner = HexFormat.of().formatHex(md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
        md5.update(inner.getBytes(StandardCharsets.US_ASCII));
        md5.update(salt);
        return "md5" + HexFormat.of().formatHex(md5.digest());
    }

    @Test
    void passwordHashMatchesPostgres() {
        assertThat(Md5.passwordHash("postgres", "postgres")).isEqualTo(STORED);
    }

    @Test
    void clientResponseMatchesIndependentComputation() throws Exception {
        assertThat(Md5.clientResponse(STORED, SALT))
                .isEqualTo(independentResponse("postgres", "postgres", SALT));
    }

    @Test
    void clientResponseFromPasswordEqualsFromStoredHash() {
        assertThat(Md5.clientResponseFromPassword("postgres", "postgres", SALT))
                .isEqualTo(Md5.clientResponse(STORED, SALT));
    }

    @Test
    void verifyAcceptsTheRightResponse() {
        String response = Md5.clientResponseFromPassword("postgres", "postgres", SALT);

        assertThat(Md5.verify(STORED, SALT, response)).isTrue();
    }

    @Test
    void verifyRejectsAWrongPassword() {
        String response = Md5.clientResponseFromPassword("postgres", "wrong", SALT);

        assertThat(Md5.verify(STORED, SALT, response)).isFalse();
    }

    @Test
    void verifyRejectsAReplayUnderAnotherSalt() {
        String response = Md5.clientResponseFromPassword("postgres", "postgres", new byte[4]);

        assertThat(Md5.verify(STORED, SALT, response)).isFalse();
    }

    @Test
    void verifyRejectsGarbage() {
        assertThat(Md5.verify(STORED, SALT, "")).isFalse();
        assertThat(Md5.verify(STORED, SALT, STORED)).isFalse();
    }

    @Test
    void storedHashFormatIsRecognized() {
        assertThat(Md5.isStoredHash(STORED)).isTrue();
        assertThat(Md5.isStoredHash(STORED.toUpperCase())).isFalse();
        assertThat(Md5.isStoredHash("md5abc")).isFalse();
        assertThat(Md5.isStoredHash("SCRAM-SHA-256$4096:xx")).isFalse();
    }

    @Test
    void malformedStoredHashIsRejectedWithoutEchoingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Md5.clientResponse("plaintext-secret", SALT))
                .withMessageNotContaining("plaintext-secret");
    }

    @Test
    void saltMustBeFourBytes() {
        assertThatIllegalArgumentException().isThrownBy(() -> Md5.clientResponse(STORED, new byte[5]));
    }
}
