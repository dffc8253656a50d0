package dev.meridian.proxy.config;

/**
 * TLS towards a backend, with libpq's sslmode meanings;
 * YAML {@code disable | prefer | require | verify-ca | verify-full}.
 */
public enum BackendTlsMode {
    DISABLE,
    PREFER,
    REQUIRE,
    /** Verify the server certificate against {@code ca}. */
    VERIFY_CA,
    /** Like {@code VERIFY_CA}, and the certificate must name the backend host. */
    VERIFY_FULL;

    /** Whether this mode checks the server certificate and therefore needs a CA file. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }
}
