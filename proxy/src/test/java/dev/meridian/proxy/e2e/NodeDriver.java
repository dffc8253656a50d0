package dev.meridian.proxy.e2e;

import dev.meridian.proxy.localpg.ProcessResult;
import dev.meridian.proxy.localpg.ProcessRunner;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Neon's real serverless driver ({@code @neondatabase/serverless}) and {@code ws}, installed with
 * npm into {@code target/edge-npm} on first use (pinned versions; the only network access is the
 * npm registry), and node scripts run against them. A script prints one JSON line as its result.
 * {@link #runLogged} runs any npm or node command of the node-driver tests.
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

    /**
     * Runs {@code command} in {@code dir} (npm, node) with its output in a temporary log file
     * there, deleted afterwards; {@code env} edits the environment. Waits up to {@code seconds}
     * (then kills it and fails with the output so far) and asserts exit status 0.
     */
    static String runLogged(Path dir, List<String> command, int seconds, Consumer<Map<String, String>> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            env.accept(pb.environment());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish:\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            assertThat(p.exitValue()).as("%s:%n%s", command, out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
