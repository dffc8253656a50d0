package dev.meridian.proxy.config;

import java.util.Objects;

/** Where clients connect. */
public record ListenConfig(String host, int port, ProxyProtocol proxyProtocol) {

    public static final ListenConfig DEFAULT = new ListenConfig("0.0.0.0", 5432, ProxyProtocol.OFF);

    public ListenConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }
}
