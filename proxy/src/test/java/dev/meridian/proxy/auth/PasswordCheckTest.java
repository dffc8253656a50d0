package dev.meridian.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.auth.Md5;
import dev.meridian.protocol.auth.ScramVerifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordCheckTest {
    private final PasswordCheck check = new PasswordCheck();

    @Test
    void scramVerifiersCheckTheCleartextPasswordAgainAndAgain() {
        Optional<UserSecret> secret = Optional.of(new UserSecret.Scram(ScramVerifier.generate("s3cret")));
        assertThat(check.matches("alice", secret, "s3cret")).isTrue();
        assertThat(check.matches("alice", secret, "s3cret")).as("remembered").isTrue();
        assertThat(check.matches("alice", secret, "s3cret!")).isFalse();
        assertThat(check.matches("alice", secret, "")).isFalse();
    }

    @Test
    void md5HashesAndPlainPasswords() {
        assertThat(check.matches("bob", Optional.of(new UserSecret.Md5Hash(Md5.passwordHash("bob", "pw"))), "pw")).isTrue();
        assertThat(check.matches("bob", Optional.of(new UserSecret.Md5Hash(Md5.passwordHash("bob", "pw"))), "px")).isFalse();
        assertThat(check.matches("carol", Optional.of(new UserSecret.Plain("pw")), "pw")).isTrue();
        assertThat(check.matches("carol", Optional.of(new UserSecret.Plain("pw")), "pw2")).isFalse();
    }

    @Test
    void unknownUsersAndMissingPasswordsNeverMatch() {
        assertThat(check.matches("nobody", Optional.empty(), "anything")).isFalse();
        assertThat(check.matches("carol", Optional.of(new UserSecret.Plain("pw")), null)).isFalse();
    }
}
