package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meridian.proxy.config.EdgeJwtConfig;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
    private static final OctetSequenceKey HMAC = gen(() -> new OctetSequenceKeyGenerator(256).keyID("h").generate());
    private static final RSAKey RSA = gen(() -> new RSAKeyGenerator(2048).keyID("r").generate());
    private static final ECKey EC = gen(() -> new ECKeyGenerator(Curve.P_256).keyID("e").generate());
    private static final JwtVerifier VERIFIER = new JwtVerifier(new EdgeJwtConfig(Path.of("jwks.json"),
            new JWKSet(List.of(HMAC, RSA.toPublicJWK(), EC.toPublicJWK())), "https://issuer", "meridian", "role"));

    interface Gen<T> {
        T get() throws Exception;
    }

    private static <T> T gen(Gen<T> g) {
        try {
            return g.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("https://issuer").audience("meridian").subject("user-1")
                .claim("role", "web_user").expirationTime(new Date(System.currentTimeMillis() + 60_000));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static void refused(String token, String why) {
        assertThatThrownBy(() -> VERIFIER.verify(token)).isInstanceOfSatisfying(EdgeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(401);
            assertThat(e.getMessage()).containsIgnoringCase(why);
        });
    }

    @Test
    void hs256Rs256AndEs256TokensAreAccepted() throws Exception {
        JwtVerifier.Verified v = VERIFIER.verify(sign(new MACSigner(HMAC), JWSAlgorithm.HS256, "h", claims().build()));
        assertThat(v.role()).isEqualTo("web_user");
        assertThat(v.claimsJson()).contains("\"sub\":\"user-1\"");
        assertThat(VERIFIER.verify(sign(new RSASSASigner(RSA), JWSAlgorithm.RS256, "r", claims().build())).role())
                .isEqualTo("web_user");
        assertThat(VERIFIER.verify(sign(new ECDSASigner(EC), JWSAlgorithm.ES256, "e", claims().build())).role())
                .isEqualTo("web_user");
    }

    @Test
    void expiredBeyondTheSkewIsRefused() throws Exception {
        refused(sign(new MACSigner(HMAC), JWSAlgorithm.HS256, "h",
                claims().expirationTime(new Date(System.currentTimeMillis() - 31_000)).build()), "expired");
        // Within the 30 s skew it still counts.
        VERIFIER.verify(sign(new MACSigner(HMAC), JWSAlgorithm.HS256, "h",
                claims().expirationTime(new Date(System.currentTimeMillis() - 5_000)).build()));
    }

    @Test
    void notYetValidWrongAudienceWrongIssuerAndMissingExpAreRefused() throws Exception {
        MACSigner s = new MACSigner(HMAC);
        refused(sign(s, JWSAlgorithm.HS256, "h", claims().notBeforeTime(new Date(System.currentTimeMillis() + 120_000)).build()),
                "invalid token");
        refused(sign(s, JWSAlgorithm.HS256, "h", claims().audience("someone-else").build()), "aud");
        refused(sign(s, JWSAlgorithm.HS256, "h", claims().issuer("https://evil").build()), "iss");
        refused(sign(s, JWSAlgorithm.HS256, "h", claims().expirationTime(null).build()), "exp");
    }

    @Test
    void wrongSignatureAndUnsignedTokensAreRefused() throws Exception {
        OctetSequenceKey other = new OctetSequenceKeyGenerator(256).keyID("h").generate();
        refused(sign(new MACSigner(other), JWSAlgorithm.HS256, "h", claims().build()), "invalid token");
        refused(new PlainJWT(claims().build()).serialize(), "invalid token");
        refused("not-a-jwt", "not a JWT");
    }

    @Test
    void aTokenWithoutItsRoleClaimIsRefused() throws Exception {
        refused(sign(new MACSigner(HMAC), JWSAlgorithm.HS256, "h", claims().claim("role", null).build()), "role");
    }
}
