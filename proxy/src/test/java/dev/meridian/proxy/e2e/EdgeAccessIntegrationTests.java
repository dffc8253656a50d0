package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meridian.proxy.testing.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge's HTTP side with a plain HTTP client: JWT row-level security and refusals, where the
 * caller is (trusted and untrusted forwarding headers), CORS, and the limits. Two proxies in
 * front of one PostgreSQL: {@code trusting} believes forwarding headers from 127.0.0.1,
 * {@code doubting} does not. Both have regions iad and lhr (the same server twice) and place
 * 203.0.113.0/24 in lhr.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EdgeAccessIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CONN = "postgres://authenticator@h/app";

    static Path dir;
    static OctetSequenceKey key;
    static ProxyFixture trusting;
    static ProxyFixture doubting;

    @BeforeAll
    static void start() throws Exception {
        var pg = PG.server("iad");
        pg.execute("postgres", "CREATE ROLE authenticator LOGIN NOINHERIT PASSWORD 'auth-secret'",
                "CREATE ROLE web_user NOLOGIN", "GRANT web_user TO authenticator");
        pg.execute("app", "CREATE TABLE notes (owner text, body text)",
                "INSERT INTO notes VALUES ('user-1', 'mine'), ('user-2', 'theirs')",
                "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY own ON notes USING (owner = current_setting('request.jwt.claims', true)::json->>'sub')",
                "GRANT SELECT ON notes TO web_user");
        dir = Files.createTempDirectory("meridian-edge-access");
        key = new OctetSequenceKeyGenerator(256).keyID("k1").generate();
        Files.writeString(dir.resolve("jwks.json"), new JWKSet(key).toString(false));
        trusting = start("127.0.0.1/32");
        doubting = start("10.0.0.0/8");
    }

    private static ProxyFixture start(String trusted) throws Exception {
        String yaml = OneRegion.yaml("""
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", user: authenticator, password: auth-secret }
                  - { name: lhr-1, region: lhr, host: 127.0.0.1, port: "${IAD_PORT}", user: authenticator, password: auth-secret }""",
                """
                databases:
                  app: { regions: [iad, lhr] }""",
                """
                geo:
                  networks:
                    - { cidr: 203.0.113.0/24, region: lhr }""",
                """
                edge:
                  listen: { host: 127.0.0.1, port: "${EDGE_PORT}" }
                  trusted_proxies: [ "${TRUSTED}" ]
                  cors_origins: [ "http://good.example" ]
                  jwt: { keys: "${JWKS}", audience: meridian, role_claim: role }
                  limits: { max_request_bytes: 4KB, max_response_bytes: 64KB, request_timeout: 1s, max_concurrent_requests: 2 }""");
        return ProxyFixture.start(yaml, Map.of("IAD_PORT", Integer.toString(PG.server("iad").port()),
                "EDGE_PORT", Integer.toString(ProxyFixture.freePort()), "TRUSTED", trusted,
                "JWKS", dir.resolve("jwks.json").toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ProxyFixture p : new ProxyFixture[] {trusting, doubting}) {
            if (p != null) {
                p.close();
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static HttpRequest.Builder sql(ProxyFixture proxy, String query, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().edgePort() + "/sql"))
                .timeout(Duration.ofSeconds(20))
                .header("Neon-Connection-String", CONN).header("Neon-Raw-Text-Output", "true")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":" + JSON.valueToTree(query) + "}"));
        headers.forEach(b::header);
        return b;
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String token(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(String sub) {
        return new JWTClaimsSet.Builder().subject(sub).audience("meridian").claim("role", "web_user")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000));
    }

    private static long backendLogins(ProxyFixture proxy) {
        String metrics = AdminHttp.get(proxy.adminPort(), "/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("meridian_backend_connect_seconds_count"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aGoodTokenRunsAsItsRoleAndRowLevelSecuritySeesItsSubject() throws Exception {
        for (String sub : new String[] {"user-1", "user-2"}) {
            HttpResponse<String> r = send(sql(trusting, "select current_user, body from notes",
                    Map.of("Authorization", "Bearer " + token(claims(sub).build()))).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode rows = JSON.readTree(r.body()).get("rows");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("current_user").asText()).isEqualTo("web_user");
            assertThat(rows.get(0).get("body").asText()).isEqualTo(sub.equals("user-1") ? "mine" : "theirs");
        }
        // The role lasted only for that transaction: the pooled login is the authenticator again.
        HttpResponse<String> r = send(sql(trusting, "select current_user", Map.of()).build());
        assertThat(JSON.readTree(r.body()).get("rows").get(0).get("current_user").asText()).isEqualTo("authenticator");
    }

    @Test
    void badTokensAre401BeforeAnyBackendWork() throws Exception {
        long before = backendLogins(trusting);
        OctetSequenceKey other = new OctetSequenceKeyGenerator(256).keyID("k1").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims("user-1").build());
        forged.sign(new MACSigner(other));
        List<String> tokens = List.of(
                token(claims("user-1").expirationTime(new Date(System.currentTimeMillis() - 120_000)).build()),
                forged.serialize(),
                token(claims("user-1").audience("not-meridian").build()),
                new PlainJWT(claims("user-1").build()).serialize());
        for (String t : tokens) {
            HttpResponse<String> r = send(sql(trusting, "select 1", Map.of("Authorization", "Bearer " + t)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("28000");
            assertThat(r.headers().firstValue("Meridian-Backend-Region")).isEmpty();
        }
        assertThat(backendLogins(trusting)).isEqualTo(before);
    }

    @Test
    void flyClientIpIsBelievedOnlyFromATrustedPeer() throws Exception {
        Map<String, String> fromLondon = Map.of("Fly-Client-IP", "203.0.113.9");
        HttpResponse<String> trusted = send(sql(trusting, "select 1", fromLondon).build());
        assertThat(trusted.statusCode()).as(trusted.body()).isEqualTo(200);
        assertThat(trusted.headers().firstValue("Meridian-Backend-Region")).hasValue("lhr");
        HttpResponse<String> doubted = send(sql(doubting, "select 1", fromLondon).build());
        assertThat(doubted.headers().firstValue("Meridian-Backend-Region")).hasValue("iad");
        HttpResponse<String> plain = send(sql(trusting, "select 1", Map.of()).build());
        assertThat(plain.headers().firstValue("Meridian-Backend-Region")).hasValue("iad");
    }

    @Test
    void requestsAreCountedByEndpointAndStatusAndTimedByBackendRegion() throws Exception {
        assertThat(send(sql(doubting, "select 1", Map.of()).build()).statusCode()).isEqualTo(200);
        assertThat(send(sql(doubting, "select 1", Map.of("Authorization", "Bearer x.y.z")).build()).statusCode())
                .isEqualTo(401);
        String metrics = AdminHttp.get(doubting.adminPort(), "/metrics").body();
        assertThat(metrics).contains("meridian_edge_requests_total{endpoint=\"sql\",status=\"200\"}")
                .contains("meridian_edge_requests_total{endpoint=\"sql\",status=\"401\"}")
                .contains("meridian_edge_request_duration_seconds_count{backend_region=\"iad\"}")
                .contains("meridian_edge_request_duration_seconds_count{backend_region=\"none\"}")
                .doesNotContain("x.y.z");
    }

    @Test
    void corsPreflightForAnAllowedOriginAndRefusalForOthers() throws Exception {
        String base = "http://127.0.0.1:" + trusting.server().edgePort() + "/sql";
        HttpResponse<String> pre = send(HttpRequest.newBuilder(URI.create(base))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://good.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "neon-connection-string").build());
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://good.example");
        assertThat(pre.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Neon-Connection-String");
        HttpResponse<String> ok = send(sql(trusting, "select 1", Map.of("Origin", "http://good.example")).build());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://good.example");
        HttpResponse<String> bad = send(sql(trusting, "select 1", Map.of("Origin", "http://evil.example")).build());
        assertThat(bad.statusCode()).isEqualTo(403);
    }

    @Test
    void limitsAnswerWithTheirStatusAndSqlState() throws Exception {
        HttpResponse<String> big = send(sql(trusting, "select '" + "x".repeat(10_000) + "'", Map.of()).build());
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> huge = send(sql(trusting, "select repeat('y', 1000) from generate_series(1, 200)", Map.of()).build());
        assertThat(huge.statusCode()).isEqualTo(507);
        assertThat(JSON.readTree(huge.body()).get("code").asText()).isEqualTo("54000");
        HttpResponse<String> slow = send(sql(trusting, "select pg_sleep(10)", Map.of()).build());
        assertThat(slow.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(slow.body()).get("code").asText()).isEqualTo("57014");
        HttpResponse<String> wrongType = send(sql(trusting, "select 1", Map.of("Content-Type", "application/xml")).build());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        HttpResponse<String> notJson = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + trusting.server().edgePort() + "/sql"))
                .header("Neon-Connection-String", CONN).POST(HttpRequest.BodyPublishers.ofString("{oops")).build());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).get("code").asText()).isEqualTo("08P01");
        HttpResponse<String> nowhere = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + trusting.server().edgePort() + "/sql"))
                .header("Neon-Connection-String", "postgres://authenticator@h/elsewhere")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"select 1\"}")).build());
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(nowhere.body()).get("code").asText()).isEqualTo("3D000");
    }

    @Test
    void requestsBeyondTheConcurrencyLimitAreTold429WithRetryAfter() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(HTTP.sendAsync(sql(doubting, "select pg_sleep(0.5)", new HashMap<>()).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : all) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            }
        }
        assertThat(statuses).contains(200, 429).allMatch(s -> s == 200 || s == 429);
    }
}
