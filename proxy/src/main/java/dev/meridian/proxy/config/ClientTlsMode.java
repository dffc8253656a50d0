package dev.meridian.proxy.config;

/** TLS towards clients when {@code tls:} is configured; YAML {@code prefer | require}. */
public enum ClientTlsMode {
    /** Offer TLS; clients that do not ask for it may still connect in plain text. */
    PREFER,
    /** Refuse clients that do not negotiate TLS. */
    REQUIRE
}
