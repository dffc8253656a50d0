package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.localpg.ProcessResult;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code tls:} configured the edge serves HTTPS and WSS with that certificate; the driver uses both. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EdgeTlsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static Path dir;
    static TestCertificates certs;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("meridian-edge-tls");
        certs = TestCertificates.create(dir, "Meridian Edge Test CA");
        proxy = ProxyFixture.start(OneRegion.yaml(
                "tls: { cert: \"${CERT}\", key: \"${KEY}\", mode: prefer }",
                "edge: { listen: { host: 127.0.0.1, port: \"${EDGE_PORT}\" } }"),
                OneRegion.env(PG, Map.of("EDGE_PORT", Integer.toString(ProxyFixture.freePort()),
                        "CERT", certs.serverCert().toString(), "KEY", certs.serverKey().toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void httpsAndSecureWebSocketWithTheProxyCertificate() throws Exception {
        ProcessResult r = NodeDriver.run("tls", """
                import { neon, neonConfig, Pool } from '@neondatabase/serverless';
                import ws from 'ws';
                neonConfig.webSocketConstructor = ws;
                neonConfig.wsProxy = (host, port) => `localhost:${process.env.EDGE_PORT}/v2?address=${host}:${port}`;
                neonConfig.fetchEndpoint = `https://localhost:${process.env.EDGE_PORT}/sql`;
                const url = 'postgres://postgres:x@db.example.com/postgres';
                const [h] = await neon(url)`select 'https' as via`;
                const pool = new Pool({ connectionString: url });
                const w = (await pool.query("select 'wss' as via")).rows[0];
                await pool.end();
                console.log(h.via + ' ' + w.via);
                """, Map.of("EDGE_PORT", Integer.toString(proxy.server().edgePort()),
                "NODE_EXTRA_CA_CERTS", certs.caCert().toString()));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("https wss");
    }
}
