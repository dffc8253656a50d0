package dev.meridian.proxy.config;

/**
 * Whether clients must, may or must not send a PROXY protocol (v1/v2) header;
 * YAML {@code off | optional | required}.
 */
public enum ProxyProtocol {
    OFF,
    OPTIONAL,
    REQUIRED
}
