package dev.meridian.protocol.auth;

import dev.meridian.protocol.auth.ScramException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a {@link ScramClient} gets ClientKey and ServerKey once the server has named the salt
 * and iteration count: derived from a password, or given directly (passthrough).
 */
interface ScramClientKeys {

    /** ClientKey and ServerKey for one exchange. */
    record Derived(byte[] clientKey, byte[] serverKey) {
        @Override
        public String toString() {
            return "Derived[keys redacted]";
        }
    }

    Derived derive(byte[] salt, int iterations);

    static ScramClientKeys password(String password) {
        Objects.requireNonNull(password, "password");
        String prepared = SaslPrep.prepare(password);
        return (salt, iterations) -> Cache.derive(prepared, salt, iterations);
    }

    /**
     * PBKDF2 over thousands of iterations costs milliseconds of CPU, and a server answers every
     * login of one role with the same salt and iteration count: the keys a password yields for
     * them are computed once and kept (a pool opening many backend connections with a configured
     * password does that work once, not per connection). At most {@link #MAX} sets, for the
     * life of the process, as the password they come from is; a full cache starts over.
     */
    final class Cache {
        static final int MAX = 256;
        private static final Map<Key, Derived> KEYS = new ConcurrentHashMap<>();

        private record Key(String prepared, ByteBuffer salt, int iterations) {
            @Override
            public String toString() {
                return "Key[redacted]";
            }
        }

        private Cache() {
        }

        static Derived derive(String prepared, byte[] salt, int iterations) {
            Key key = new Key(prepared, ByteBuffer.wrap(salt.clone()), iterations);
            Derived known = KEYS.get(key);
            if (known != null) {
                return known;
            }
            byte[] salted = ScramCrypto.hi(prepared, salt, iterations);
            Derived derived = new Derived(ScramCrypto.clientKey(salted), ScramCrypto.serverKey(salted));
            Arrays.fill(salted, (byte) 0);
            if (KEYS.size() >= MAX) {
                KEYS.clear();
            }
            KEYS.put(key, derived);
            return derived;
        }
    }

    /**
     * ClientKey alone cannot be re-salted, so passthrough (PgBouncer's auth with
     * {@code scram_client_key}) only works against a backend holding the very same secret.
     */
    static ScramClientKeys passthrough(byte[] clientKey, byte[] serverKey, int expectedIterations,
            byte[] expectedSalt) {
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(expectedSalt, "expectedSalt");
        if (clientKey.length != ScramCrypto.KEY_LENGTH || serverKey.length != ScramCrypto.KEY_LENGTH
                || expectedIterations < 1 || expectedSalt.length == 0) {
            throw new IllegalArgumentException("passthrough keys must be 32 bytes, "
                    + "iterations at least 1 and the salt non-empty");
        }
        Derived keys = new Derived(clientKey.clone(), serverKey.clone());
        byte[] salt = expectedSalt.clone();
        return (serverSalt, serverIterations) -> {
            if (serverIterations != expectedIterations || !Arrays.equals(serverSalt, salt)) {
                throw new ScramException(Reason.PASSTHROUGH_MISMATCH, "backend SCRAM secret has a "
                        + "different salt or iteration count than the proxy's verifier; "
                        + "passthrough authentication needs the same SCRAM secret on both sides");
            }
            return keys;
        };
    }
}
