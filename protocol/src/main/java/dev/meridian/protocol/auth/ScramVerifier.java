package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SCRAM-SHA-256 secret as PostgreSQL stores it in {@code pg_authid.rolpassword}:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (see {@code
 * parse_scram_secret()} in auth-scram.c). Immutable; accessors return copies.
 *
 * <p>A <em>mock</em> verifier stands in for a user that does not exist, so the exchange with the
 * client runs to the end and fails exactly like a wrong password (PostgreSQL's {@code
 * mock_scram_secret()}).
 */
public final class ScramVerifier {

    /** PostgreSQL's default {@code scram_iterations}. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
    public static final int DEFAULT_SALT_LENGTH = 16;

    private static final Pattern FORMAT = Pattern.compile(
            "SCRAM-SHA-256\\$([0-9]{1,10}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final int MIN_PROCESS_SECRET = 16;

    private final int iterations;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final boolean mock;

    private ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey,
            boolean mock) {
        this.iterations = iterations;
        this.salt = salt;
        this.storedKey = storedKey;
        this.serverKey = serverKey;
        this.mock = mock;
    }

    /**
     * Parses PostgreSQL's format strictly.
     *
     * @throws IllegalArgumentException if malformed; the message never repeats the input
     */
    public static ScramVerifier parse(String secret) {
        Objects.requireNonNull(secret, "secret");
        Matcher m = FORMAT.matcher(secret);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier (expected "
                    + "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>)");
        }
        long iterations = Long.parseLong(m.group(1));
        if (iterations < 1 || iterations > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SCRAM verifier iteration count is out of range");
        }
        byte[] salt = decode(m.group(2), "salt");
        byte[] storedKey = decodeKey(m.group(3), "StoredKey");
        byte[] serverKey = decodeKey(m.group(4), "ServerKey");
        if (salt.length == 0) {
            throw new IllegalArgumentException("SCRAM verifier salt is empty");
        }
        return new ScramVerifier((int) iterations, salt, storedKey, serverKey, false);
    }

    /** Derives the verifier PostgreSQL would store for this password, salt and iteration count. */
    public static ScramVerifier fromPassword(String password, byte[] salt, int iterations) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (salt.length == 0 || iterations < 1) {
            throw new IllegalArgumentException("salt must be non-empty and iterations at least 1");
        }
        byte[] salted = ScramCrypto.hi(SaslPrep.prepare(password), salt, iterations);
        byte[] storedKey = ScramCrypto.sha256(ScramCrypto.clientKey(salted));
        byte[] serverKey = ScramCrypto.serverKey(salted);
        Arrays.fill(salted, (byte) 0);
        return new ScramVerifier(iterations, salt.clone(), storedKey, serverKey, false);
    }

    /** Like PostgreSQL's {@code pg_be_scram_build_secret()}: random 16-byte salt, 4096 rounds. */
    public static ScramVerifier generate(String password) {
        byte[] salt = ScramCrypto.randomBytes(DEFAULT_SALT_LENGTH);
        return fromPassword(password, salt, DEFAULT_ITERATIONS);
    }

    /**
     * A verifier for a user that does not exist. The salt is SHA-256(user || processSecret)
     * truncated to 16 bytes, like PostgreSQL's {@code scram_mock_salt()}: stable per user, so
     * probing twice reveals nothing, and unpredictable without the secret. No proof ever matches.
     *
     * @param processSecret random bytes generated once per process (at least 16)
     */
    public static ScramVerifier mock(String user, byte[] processSecret) {
        return mock(user, processSecret, DEFAULT_ITERATIONS);
    }

    /**
     * A mock verifier whose iteration count matches the deployment's real verifiers, so that the
     * server-first-message of an unknown user is indistinguishable from a real one.
     */
    public static ScramVerifier mock(String user, byte[] processSecret, int iterations) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(processSecret, "processSecret");
        if (processSecret.length < MIN_PROCESS_SECRET || iterations < 1) {
            throw new IllegalArgumentException(
                    "process secret must be at least 16 bytes and iterations at least 1");
        }
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        byte[] salt = Arrays.copyOf(ScramCrypto.sha256(userBytes, processSecret), DEFAULT_SALT_LENGTH);
        byte[] storedKey = ScramCrypto.hmac(processSecret, "mock StoredKey\0" + user);
        byte[] serverKey = ScramCrypto.hmac(processSecret, "mock ServerKey\0" + user);
        return new ScramVerifier(iterations, salt, storedKey, serverKey, true);
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] storedKey() {
        return storedKey.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** True for {@link #mock} verifiers, which always fail authentication. */
    public boolean isMock() {
        return mock;
    }

    /**
     * PostgreSQL's text form.
     *
     * @throws IllegalStateException for a mock verifier, which must never be stored
     */
    public String encode() {
        if (mock) {
            throw new IllegalStateException("a mock SCRAM verifier cannot be encoded");
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier v && iterations == v.iterations && mock == v.mock
                && Arrays.equals(salt, v.salt)
                && ScramCrypto.constantTimeEquals(storedKey, v.storedKey)
                && ScramCrypto.constantTimeEquals(serverKey, v.serverKey);
    }

    @Override
    public int hashCode() {
        // Salt and iterations only: a hash code must not leak key material.
        return 31 * iterations + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "ScramVerifier[iterations=" + iterations + (mock ? ", mock" : "") + ", keys redacted]";
    }

    private static byte[] decodeKey(String value, String what) {
        byte[] key = decode(value, what);
        if (key.length != ScramCrypto.KEY_LENGTH) {
            throw new IllegalArgumentException("SCRAM verifier " + what + " has the wrong length");
        }
        return key;
    }

    /** Canonical base64 only, like {@link ScramText#base64} but with the configuration exception. */
    private static byte[] decode(String value, String what) {
        try {
            byte[] decoded = Base64.getDecoder().decode(value);
            if (Base64.getEncoder().encodeToString(decoded).equals(value)) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // Deliberately not chained: the JDK message may quote the offending input.
        }
        throw new IllegalArgumentException("SCRAM verifier " + what + " is not valid base64");
    }
}
