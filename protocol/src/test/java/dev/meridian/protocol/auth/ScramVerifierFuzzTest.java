package dev.meridian.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jazzer target: a stored SCRAM secret from a users file or auth_query. Only
 * IllegalArgumentException may come out, and its message never echoes key material; an accepted
 * secret re-encodes to itself (up to leading zeros in the iteration count, which PostgreSQL's
 * strtol accepts too) and parses again to an equal verifier.
 */
class ScramVerifierFuzzTest {
    /** A run of base64 long enough to be key material rather than a word of an error message. */
    private static final Pattern KEYISH = Pattern.compile("[A-Za-z0-9+/=]{16,}");

    @FuzzTest
    void parse(byte[] data) {
        String secret = new String(data, StandardCharsets.UTF_8);
        ScramVerifier verifier;
        try {
            verifier = ScramVerifier.parse(secret);
        } catch (IllegalArgumentException e) {
            Matcher keys = KEYISH.matcher(secret);
            while (keys.find()) {
                assertThat(e.getMessage()).doesNotContain(keys.group());
            }
            return;
        }
        assertThat(verifier.iterations()).isPositive();
        assertThat(verifier.salt()).isNotEmpty();
        assertThat(verifier.storedKey()).hasSize(32);
        assertThat(verifier.serverKey()).hasSize(32);
        assertThat(verifier.isMock()).isFalse();
        assertThat(ScramVerifier.parse(verifier.encode())).isEqualTo(verifier);
        assertThat(verifier.encode()).isEqualTo(secret.replaceFirst("^(SCRAM-SHA-256\\$)0+(?=[0-9])", "$1"));
    }
}
