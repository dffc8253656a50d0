package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.Objects;

/** TLS offered to clients; the files were checked to be readable when the config was loaded. */
public record TlsConfig(Path cert, Path key, ClientTlsMode mode) {

    public TlsConfig {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mode, "mode");
    }
}
