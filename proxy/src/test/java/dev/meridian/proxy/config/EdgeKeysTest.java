package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edge:}: defaults, and every mistake named with its key path. */
class EdgeKeysTest {

    @Test
    void absentMeansNoEdgeListener() {
        assertThat(TestYaml.base().load().edge()).isNull();
    }

    @Test
    void defaultsFollowTheContract() {
        EdgeConfig edge = TestYaml.base().set("edge", "{ listen: { port: 8443 } }").load().edge();
        assertThat(edge.host()).isEqualTo("0.0.0.0");
        assertThat(edge.port()).isEqualTo(8443);
        assertThat(edge.trustedProxies()).isEmpty();
        assertThat(edge.corsOrigins()).isEmpty();
        assertThat(edge.jwt()).isNull();
        assertThat(edge.limits()).isEqualTo(new EdgeConfig.Limits(10L << 20, 10L << 20, Duration.ofSeconds(15), 256));
    }

    @Test
    void everyKeyIsBound(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}]}");
        EdgeConfig edge = TestYaml.base().set("edge", "{ listen: { host: 127.0.0.1, port: 9443 },"
                + " trusted_proxies: [ 172.16.0.0/12, \"fdaa::/16\" ], cors_origins: [ \"*\" ],"
                + " jwt: { keys: \"" + jwks + "\", issuer: iss, audience: aud, role_claim: db_role },"
                + " limits: { max_request_bytes: 1MB, max_response_bytes: 2MB, request_timeout: 3s, max_concurrent_requests: 9 } }")
                .load().edge();
        assertThat(edge.trustedProxies()).extracting(Cidr::toString).containsExactly("172.16.0.0/12", "fdaa::/16");
        assertThat(edge.corsAllows("https://anything.example")).isTrue();
        assertThat(edge.jwt().keySet().getKeys()).hasSize(1);
        assertThat(edge.jwt().issuer()).isEqualTo("iss");
        assertThat(edge.jwt().audience()).isEqualTo("aud");
        assertThat(edge.jwt().roleClaim()).isEqualTo("db_role");
        assertThat(edge.limits()).isEqualTo(new EdgeConfig.Limits(1L << 20, 2L << 20, Duration.ofSeconds(3), 9));
    }

    @Test
    void mistakesAreNamedWithTheirPaths(@TempDir Path dir) throws Exception {
        Path notJwks = dir.resolve("keys.json");
        Files.writeString(notJwks, "{ nope");
        List<String> problems = TestYaml.base().set("edge", "{ listen: { port: 70000 }, trusted_proxies: [ 10.0.0.0/33 ],"
                + " jwt: { keys: \"" + notJwks + "\" }, limits: { request_timeout: 0, max_concurrent_requests: 0 },"
                + " cors: [] }").problems();
        assertThat(problems).anyMatch(p -> p.startsWith("edge.listen.port: "))
                .anyMatch(p -> p.startsWith("edge.trusted_proxies[0]: invalid CIDR"))
                .anyMatch(p -> p.startsWith("edge.jwt.keys: not a JWKS file"))
                .anyMatch(p -> p.startsWith("edge.limits.request_timeout: "))
                .anyMatch(p -> p.startsWith("edge.limits.max_concurrent_requests: "))
                .anyMatch(p -> p.startsWith("edge.cors: unknown key"));
    }

    @Test
    void theEdgePortMustNotBeTheProxyPort() {
        int port = TestYaml.base().load().listen().port();
        assertThat(TestYaml.base().set("edge", "{ listen: { port: " + port + " } }").problems())
                .anyMatch(p -> p.startsWith("edge.listen.port: must differ"));
    }
}
