package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.Objects;

/** TLS towards one backend; {@code ca} is null unless given (required for the verify modes). */
public record BackendTls(BackendTlsMode mode, Path ca) {

    public static final BackendTls DEFAULT = new BackendTls(BackendTlsMode.PREFER, null);

    public BackendTls {
        Objects.requireNonNull(mode, "mode");
    }
}
