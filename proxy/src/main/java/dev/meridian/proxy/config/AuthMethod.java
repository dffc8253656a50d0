package dev.meridian.proxy.config;

/** How clients prove who they are; YAML {@code scram-sha-256 | md5 | trust}. */
public enum AuthMethod {
    SCRAM_SHA_256,
    MD5,
    /** No password is asked for; only sensible on private networks. */
    TRUST
}
