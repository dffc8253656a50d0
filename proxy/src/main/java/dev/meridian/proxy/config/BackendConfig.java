package dev.meridian.proxy.config;

import java.util.Objects;

/**
 * One PostgreSQL server. {@code user} and {@code password} are null when omitted: without a user
 * Meridian logs in as the client's own user; a user without a password relies on the backend
 * trusting Meridian. {@code allowCleartext}: a password may be sent in clear (the backend asks
 * with AuthenticationCleartextPassword) over a connection without TLS; false by default, as
 * libpq's {@code require_auth} allows.
 */
public record BackendConfig(
        String name,
        String region,
        String host,
        int port,
        BackendRole role,
        String user,
        String password,
        BackendTls tls,
        boolean allowCleartext) {

    public BackendConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tls, "tls");
    }

    /** A backend that never gets a password in clear over an unencrypted connection (the default). */
    public BackendConfig(String name, String region, String host, int port, BackendRole role, String user,
                         String password, BackendTls tls) {
        this(name, region, host, port, role, user, password, tls, false);
    }

    /** Redacts the password: configs end up in logs, /routes output and test failures. */
    @Override
    public String toString() {
        return "BackendConfig[name=" + name + ", region=" + region + ", host=" + host
                + ", port=" + port + ", role=" + role + ", user=" + user
                + ", password=" + (password == null ? "null" : "****") + ", tls=" + tls + ", allowCleartext=" + allowCleartext + "]";
    }
}
