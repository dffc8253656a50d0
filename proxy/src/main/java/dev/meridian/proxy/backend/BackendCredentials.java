package dev.meridian.proxy.backend;

import dev.meridian.protocol.auth.ScramVerifier;

/**
 * What the proxy logs into a backend with. One of: a password from the configuration; the
 * ClientKey recovered from the client's own SCRAM proof plus that user's verifier (the backend
 * must hold the same verifier: same salt and iterations), as PgBouncer does; the user's md5
 * hash, enough for an md5 backend; or nothing, for a backend that trusts. {@code toString}
 * never prints a secret.
 */
public final class BackendCredentials {
    private final String user;
    private final String password;
    private final byte[] scramClientKey;
    private final ScramVerifier scramVerifier;
    private final String md5Hash;

    private BackendCredentials(String user, String password, byte[] scramClientKey, ScramVerifier scramVerifier,
                               String md5Hash) {
        this.user = user;
        this.password = password;
        this.scramClientKey = scramClientKey == null ? null : scramClientKey.clone();
        this.scramVerifier = scramVerifier;
        this.md5Hash = md5Hash;
    }

    public static BackendCredentials password(String user, String password) {
        return new BackendCredentials(user, password, null, null, null);
    }

    public static BackendCredentials scramPassthrough(String user, byte[] clientKey, ScramVerifier verifier) {
        return new BackendCredentials(user, null, clientKey, verifier, null);
    }

    public static BackendCredentials md5Hash(String user, String md5Hash) {
        return new BackendCredentials(user, null, null, null, md5Hash);
    }

    public static BackendCredentials none(String user) {
        return new BackendCredentials(user, null, null, null, null);
    }

    public String user() {
        return user;
    }

    /** The plain password, or null. */
    public String password() {
        return password;
    }

    /** The md5 hash ("md5" + hex), or null; derived from the password when there is one. */
    public String md5Hash() {
        return md5Hash;
    }

    public boolean hasScramKeys() {
        return scramClientKey != null;
    }

    public byte[] scramClientKey() {
        return scramClientKey.clone();
    }

    public ScramVerifier scramVerifier() {
        return scramVerifier;
    }

    @Override
    public String toString() {
        String kind = password != null ? "password" : scramClientKey != null ? "scram-passthrough"
                : md5Hash != null ? "md5-hash" : "none";
        return "BackendCredentials[user=" + user + ", " + kind + "]";
    }
}
