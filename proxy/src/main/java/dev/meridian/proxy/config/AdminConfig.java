package dev.meridian.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * The admin endpoint: HTTP {@code /metrics /health /ready /routes}, and the psql console on
 * database {@code meridian}, which only {@code users} may open.
 */
public record AdminConfig(String host, int port, List<String> users) {

    public static final AdminConfig DEFAULT = new AdminConfig("0.0.0.0", 9187, List.of());

    public AdminConfig {
        Objects.requireNonNull(host, "host");
        users = List.copyOf(users);
    }
}
