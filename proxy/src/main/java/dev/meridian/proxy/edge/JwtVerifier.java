package dev.meridian.proxy.edge;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.meridian.proxy.config.EdgeJwtConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies {@code Authorization: Bearer} tokens with nimbus-jose-jwt against the JWKS of
 * {@code edge.jwt.keys}: signature by HS256, RS256 or ES256 only (an unsigned {@code alg: none}
 * token is refused by the processor), {@code exp} required, {@code exp}/{@code nbf} with 30 s of
 * clock skew, {@code iss} and {@code aud} when configured, and the role claim present. Any
 * failure is a 401 before a backend is touched; the reason given names no part of the token.
 */
final class JwtVerifier {
    /** A good token: the role the request runs as, and all its claims as JSON for {@code request.jwt.claims}. */
    record Verified(String role, String claimsJson) {
    }

    static final int CLOCK_SKEW_SECONDS = 30;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String roleClaim;

    JwtVerifier(EdgeJwtConfig config) {
        this.roleClaim = config.roleClaim();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(config.keySet())));
        JWTClaimsSet exact = config.issuer() == null ? new JWTClaimsSet.Builder().build()
                : new JWTClaimsSet.Builder().issuer(config.issuer()).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                config.audience() == null ? null : Set.of(config.audience()), exact, Set.of("exp", roleClaim), null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    Verified verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            String role = claims.getStringClaim(roleClaim);
            if (role == null || role.isBlank()) {
                throw unauthorized("the token's " + roleClaim + " claim must name a role");
            }
            return new Verified(role, claims.toString());
        } catch (ParseException e) {
            throw unauthorized("the bearer token is not a JWT");
        } catch (BadJOSEException e) {
            throw unauthorized("invalid token: " + e.getMessage());
        } catch (JOSEException e) {
            throw unauthorized("the token could not be verified");
        }
    }

    private static EdgeException unauthorized(String message) {
        return new EdgeException(HttpResponseStatus.UNAUTHORIZED, "28000", message);
    }
}
