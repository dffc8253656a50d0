package dev.meridian.proxy.auth;

import dev.meridian.protocol.auth.Md5;
import dev.meridian.protocol.auth.ScramVerifier;

/**
 * What Meridian knows of a user's password: a SCRAM verifier, an md5 hash, or (PgBouncer
 * allows it) the plain password. {@code toString} never prints the secret.
 */
public sealed interface UserSecret {
    record Scram(ScramVerifier verifier) implements UserSecret {
        @Override
        public String toString() {
            return "Scram[****]";
        }
    }

    record Md5Hash(String hash) implements UserSecret {
        @Override
        public String toString() {
            return "Md5Hash[****]";
        }
    }

    /** A plain password; its SCRAM verifier is derived once, when the secret is read. */
    record Plain(String password, ScramVerifier verifier) implements UserSecret {
        public Plain(String password) {
            this(password, ScramVerifier.generate(password));
        }

        @Override
        public String toString() {
            return "Plain[****]";
        }
    }

    /**
     * Reads a secret as PostgreSQL and PgBouncer store it: {@code SCRAM-SHA-256$...} is a
     * verifier, {@code md5} + 32 hex digits an md5 hash, anything else a plain password.
     *
     * @throws IllegalArgumentException for a malformed SCRAM verifier (message holds no secret)
     */
    static UserSecret parse(String text) {
        if (text.startsWith("SCRAM-SHA-256$")) {
            return new Scram(ScramVerifier.parse(text));
        }
        if (Md5.isStoredHash(text)) {
            return new Md5Hash(text);
        }
        return new Plain(text);
    }
}
