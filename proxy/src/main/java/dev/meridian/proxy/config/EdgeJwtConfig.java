package dev.meridian.proxy.config;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code edge.jwt}: Bearer tokens verified against a JWKS file (parsed when the configuration is
 * loaded, so {@code meridian check} reports a bad one).
 *
 * @param issuer    required {@code iss}, or null for any
 * @param audience  required {@code aud} member, or null for any
 * @param roleClaim the claim naming the database role the request runs as
 */
public record EdgeJwtConfig(Path keys, JWKSet keySet, String issuer, String audience, String roleClaim) {
    public EdgeJwtConfig {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(keySet, "keySet");
        Objects.requireNonNull(roleClaim, "roleClaim");
    }
}
