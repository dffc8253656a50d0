package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.proxy.testing.PostgresExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real browser (headless Chromium) loads a page from another origin that runs Neon's driver
 * in HTTP mode against Meridian: the CORS preflight and the query work from the allowed origin
 * ({@code http://127.0.0.1:<page port>}), and the same page loaded as {@code http://localhost:...}
 * (another origin) is refused. The page reports back to the little server that served it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EdgeBrowserIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static HttpServer pages;
    static ProxyFixture proxy;
    static final BlockingQueue<String> REPORTS = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path driver = NodeDriver.install().resolve("node_modules/@neondatabase/serverless/index.mjs");
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        int pagePort = pages.getAddress().getPort();
        proxy = ProxyFixture.start(OneRegion.yaml(
                "edge: { listen: { host: 127.0.0.1, port: \"${EDGE_PORT}\" }, cors_origins: [ \"http://127.0.0.1:" + pagePort + "\" ] }"),
                OneRegion.env(PG, Map.of("EDGE_PORT", Integer.toString(ProxyFixture.freePort()))));
        pages.createContext("/neon.mjs", ex -> reply(ex, "text/javascript", Files.readAllBytes(driver)));
        pages.createContext("/page", ex -> reply(ex, "text/html", page(proxy.server().edgePort()).getBytes(StandardCharsets.UTF_8)));
        pages.createContext("/report", ex -> {
            REPORTS.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, "text/plain", new byte[0]);
        });
        pages.start();
    }

    private static void reply(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static String page(int edgePort) {
        return """
                <!doctype html><html><body><script type="module">
                const report = (v) => fetch('/report', { method: 'POST', body: JSON.stringify(v) });
                try {
                  const { neon, neonConfig } = await import('/neon.mjs');
                  neonConfig.fetchEndpoint = 'http://127.0.0.1:EDGE_PORT/sql';
                  const sql = neon('postgres://postgres:x@db.example.com/postgres', { disableWarningInBrowsers: true });
                  const [row] = await sql`select ${40}::int + 2 as n, current_database() as db`;
                  await report({ ok: row });
                } catch (e) {
                  await report({ error: String(e && e.message || e) });
                }
                </script></body></html>
                """.replace("EDGE_PORT", Integer.toString(edgePort));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    /** Loads {@code url} in headless Chromium and returns what the page reported. */
    private static String load(String url) throws Exception {
        Path profile = Files.createTempDirectory("meridian-chromium");
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String report = REPORTS.poll(60, TimeUnit.SECONDS);
            assertThat(report).as("the page reported back").isNotNull();
            return report;
        } finally {
            chromium.destroy();
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void thePreflightAndTheQueryWorkFromTheAllowedOrigin() throws Exception {
        String report = load("http://127.0.0.1:" + pages.getAddress().getPort() + "/page");
        assertThat(report).isEqualTo("{\"ok\":{\"n\":42,\"db\":\"postgres\"}}");
    }

    @Test
    void anotherOriginIsRefused() throws Exception {
        String report = load("http://localhost:" + pages.getAddress().getPort() + "/page");
        assertThat(report).contains("error").contains("Error connecting to database");
    }
}
