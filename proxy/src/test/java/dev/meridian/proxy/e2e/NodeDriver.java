package dev.meridian.proxy.e2e;

import dev.meridian.proxy.localpg.ProcessResult;
import dev.meridian.proxy.localpg.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Neon's real serverless driver ({@code @neondatabase/serverless}) and {@code ws}, installed with
 * npm into {@code target/edge-npm} on first use (pinned versions; the only network access is the
 * npm registry), and node scripts run against them. A script prints one JSON line as its result.
 */
final class NodeDriver {
    static final String NEON = "@neondatabase/serverless@1.2.0";
    static final String WS = "ws@8.23.1";
    private static final Path DIR = Path.of("target", "edge-npm").toAbsolutePath();

    private NodeDriver() {
    }

    static synchronized Path install() throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules/@neondatabase/serverless"))
                || !Files.isDirectory(DIR.resolve("node_modules/ws"))) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("package.json"), "{\"name\":\"meridian-edge-tests\",\"private\":true}\n");
            ProcessRunner.asCurrentUser().withTimeout(Duration.ofMinutes(3))
                    .runChecked("npm", "install", "--prefix", DIR.toString(), "--no-audit", "--no-fund", NEON, WS);
        }
        return DIR;
    }

    /** Runs {@code script} (an ES module) with {@code env}; its stdout, trimmed, is the result. */
    static ProcessResult run(String name, String script, Map<String, String> env) throws IOException {
        Path dir = install();
        Path file = dir.resolve(name + ".mjs");
        Files.writeString(file, script);
        ProcessRunner runner = ProcessRunner.asCurrentUser().withTimeout(Duration.ofSeconds(60));
        for (var e : env.entrySet()) {
            runner = runner.withEnv(e.getKey(), e.getValue());
        }
        return runner.run("node", file.toString());
    }
}
