package dev.meridian.proxy.auth;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The server secret an unknown user's mock SCRAM verifier (its salt) is derived from, with the
 * user name. The salt a client sees must be stable per user name, as a real user's is, also
 * across restarts and across the instances of one deployment, or asking twice would tell
 * unknown names apart. So it is derived from secrets every instance shares and no client knows:
 * the configured backend passwords. Without any, a random per-process secret is the best there
 * is (documented in docs/security.md).
 */
public final class MockSalt {
    private MockSalt() {
    }

    /** 32 bytes: SHA-256 over a domain label and each backend's name and password; random if none. */
    public static byte[] secret(MeridianConfig config) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JRE has SHA-256
        }
        sha.update("meridian mock verifier secret v1\0".getBytes(StandardCharsets.UTF_8));
        boolean any = false;
        for (BackendConfig b : config.backends()) {
            if (b.password() != null && !b.password().isEmpty()) {
                any = true;
                sha.update((b.name() + "\0" + b.password() + "\0").getBytes(StandardCharsets.UTF_8));
            }
        }
        if (any) {
            return sha.digest();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }
}
