package dev.meridian.proxy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.proxy.localpg.Await;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code prometheus} binary, scraping one target every second into a throwaway TSDB,
 * answering PromQL over its HTTP API. Not installed is a failure with the fix, never a skip.
 */
final class PrometheusProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;

    private PrometheusProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Prometheus scraping {@code http://127.0.0.1:<targetPort>/metrics}; returns once it is ready. */
    static PrometheusProcess start(Path dir, int targetPort) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: { scrape_interval: 1s, scrape_timeout: 1s }
                scrape_configs:
                  - job_name: meridian
                    metrics_path: /metrics
                    static_configs: [ { targets: ["127.0.0.1:%d"] } ]
                """.formatted(targetPort));
        int port = ProxyFixture.freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary().toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusProcess prometheus = new PrometheusProcess(p, log, port);
        try {
            Await.until(Duration.ofSeconds(30), () -> p.isAlive() && prometheus.get("/-/ready").statusCode() == 200,
                    () -> "prometheus ready on port " + port + "; log:\n" + prometheus.log());
        } catch (RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    private static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the prometheus binary is not on PATH: install it "
                + "(Debian/Ubuntu: apt-get install -y prometheus; .ci/run does this)");
    }

    /** {@code /api/v1/query} at the current time: the {@code data} node, or an exception with Prometheus' error. */
    JsonNode query(String promql) {
        HttpResponse<String> res = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        try {
            JsonNode body = JSON.readTree(res.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new IllegalArgumentException(body.path("errorType").asText() + ": " + body.path("error").asText());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON from Prometheus: " + res.body(), e);
        }
    }

    /** The samples of an instant vector query (empty when there is no data). */
    List<JsonNode> results(String promql) {
        List<JsonNode> samples = new ArrayList<>();
        query(promql).path("result").forEach(samples::add);
        return samples;
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
