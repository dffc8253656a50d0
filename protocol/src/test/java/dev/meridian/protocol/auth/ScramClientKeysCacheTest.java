package dev.meridian.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keys derived from a password are computed once per (password, salt, iterations). */
class ScramClientKeysCacheTest {
    private static final byte[] SALT = "a salt of ours".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSameServerParametersReuseTheDerivedKeys() {
        var first = ScramClientKeys.password("cache-test-secret").derive(SALT, 4096);
        var again = ScramClientKeys.password("cache-test-secret").derive(SALT.clone(), 4096);
        assertThat(again).isSameAs(first);
    }

    @Test
    void anotherSaltIterationCountOrPasswordDerivesAfresh() {
        var first = ScramClientKeys.password("cache-test-other").derive(SALT, 4096);
        assertThat(ScramClientKeys.password("cache-test-other").derive("another salt".getBytes(StandardCharsets.UTF_8), 4096))
                .isNotSameAs(first);
        assertThat(ScramClientKeys.password("cache-test-other").derive(SALT, 4097).clientKey())
                .isNotEqualTo(first.clientKey());
        assertThat(ScramClientKeys.password("cache-test-other2").derive(SALT, 4096).clientKey())
                .isNotEqualTo(first.clientKey());
    }

    @Test
    void cachedKeysAreTheKeysTheRfcDefines() {
        // Computed by the verifier path (no cache): the same ClientKey/ServerKey.
        var derived = ScramClientKeys.password("cache-test-rfc").derive(SALT, 4096);
        ScramVerifier v = ScramVerifier.fromPassword("cache-test-rfc", SALT, 4096);
        assertThat(ScramCrypto.sha256(derived.clientKey())).isEqualTo(v.storedKey());
        assertThat(derived.serverKey()).isEqualTo(v.serverKey());
        assertThat(derived.toString()).doesNotContain("cache-test");
    }
}
