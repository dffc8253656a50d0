package dev.meridian.proxy.config;

/**
 * What a backend is; {@code AUTO} asks the server with {@code pg_is_in_recovery()}.
 * YAML {@code primary | replica | auto}.
 */
public enum BackendRole {
    PRIMARY,
    REPLICA,
    AUTO
}
