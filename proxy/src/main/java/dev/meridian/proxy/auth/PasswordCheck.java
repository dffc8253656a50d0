package dev.meridian.proxy.auth;

import dev.meridian.protocol.auth.Md5;
import dev.meridian.protocol.auth.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a password sent in clear (WebSocket and HTTP edge clients, whose channel is TLS)
 * against what the users file or auth query holds. A SCRAM verifier costs a PBKDF2 run per
 * check, so a proven (user, secret, password) triple is remembered as an HMAC under a random
 * per-process key: a repeat request costs one HMAC, and nothing stored is the password.
 * Every comparison is constant-time.
 */
public final class PasswordCheck {
    private static final int MAX_REMEMBERED = 10_000;

    private final byte[] key = new byte[32];
    private final Map<String, byte[]> proven = new ConcurrentHashMap<>();

    public PasswordCheck() {
        new SecureRandom().nextBytes(key);
    }

    /** True when {@code password} is the password of {@code user} whose stored secret is {@code secret}. */
    public boolean matches(String user, Optional<UserSecret> secret, String password) {
        if (secret.isEmpty() || password == null) {
            // Same work as a SCRAM check, so an unknown user takes as long as a wrong password.
            ScramVerifier.fromPassword(password == null ? "" : password, new byte[16], ScramVerifier.DEFAULT_ITERATIONS);
            return false;
        }
        UserSecret s = secret.get();
        if (s instanceof UserSecret.Plain plain) {
            return MessageDigest.isEqual(bytes(plain.password()), bytes(password));
        }
        if (s instanceof UserSecret.Md5Hash md5) {
            return MessageDigest.isEqual(bytes(md5.hash()), bytes(Md5.passwordHash(user, password)));
        }
        ScramVerifier v = ((UserSecret.Scram) s).verifier();
        String slot = user + '\0' + v.encode();
        byte[] tag = tag(slot, password);
        byte[] known = proven.get(slot);
        if (known != null && MessageDigest.isEqual(known, tag)) {
            return true;
        }
        boolean ok = MessageDigest.isEqual(v.storedKey(),
                ScramVerifier.fromPassword(password, v.salt(), v.iterations()).storedKey());
        if (ok) {
            if (proven.size() >= MAX_REMEMBERED) {
                proven.clear();
            }
            proven.put(slot, tag);
        }
        return ok;
    }

    private byte[] tag(String slot, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(bytes(slot));
            mac.update((byte) 0);
            return mac.doFinal(bytes(password));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
