package dev.meridian.proxy.config;

import java.util.Objects;

/**
 * Where clients connect. {@code transactionPort} (null = none) is a second port on the same
 * host where every session is transaction-pooled.
 */
public record ListenConfig(String host, int port, ProxyProtocol proxyProtocol, Integer transactionPort) {

    public static final ListenConfig DEFAULT = new ListenConfig("0.0.0.0", 5432, ProxyProtocol.OFF);

    public ListenConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }

    /** Without a transaction port. */
    public ListenConfig(String host, int port, ProxyProtocol proxyProtocol) {
        this(host, port, proxyProtocol, null);
    }
}
