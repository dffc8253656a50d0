package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meridian run} as a process: a start-up failure is one line naming the setting, port or
 * file, and exit 1, never a stack trace; and the first client to reach the port is served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupFailuresIntegrationTests {
    @TempDir
    Path dir;

    @Test
    void aBusyListenPortIsOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = config(taken.getLocalPort(), ProxyFixture.freePort());
            Run run = run("run", "-c", config.toString());
            assertThat(run.exit()).isEqualTo(1);
            assertOneLine(run.output(), "meridian: cannot start: listen.port: 127.0.0.1:" + taken.getLocalPort()
                    + " is already in use");
        }
    }

    @Test
    void aBusyAdminPortIsOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = config(ProxyFixture.freePort(), taken.getLocalPort());
            Run run = run("run", "-c", config.toString());
            assertThat(run.exit()).isEqualTo(1);
            assertOneLine(run.output(), "meridian: cannot start: admin.port: 127.0.0.1:" + taken.getLocalPort()
                    + " is already in use");
        }
    }

    @Test
    void aMissingConfigurationFileIsOneLineInWords() throws Exception {
        Path missing = dir.resolve("nope.yaml");
        Run run = run("run", "-c", missing.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertOneLine(run.output(), missing + ": cannot read the configuration: no such file");
        assertThat(run.output()).doesNotContain("NoSuchFile");
    }

    /**
     * No refusal window: a client that connects the moment the port first answers gets a
     * PostgreSQL answer (here an ErrorResponse: the only backend is down), not a reset.
     */
    @Test
    void theFirstClientToReachThePortIsServed() throws Exception {
        int port = ProxyFixture.freePort();
        Path config = config(port, ProxyFixture.freePort());
        Process p = start("run", "-c", config.toString());
        try (Socket s = firstConnection(p, port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(RawClient.startupPacket(3 << 16, Map.of("user", "app", "database", "app")));
            out.flush();
            int type = new DataInputStream(s.getInputStream()).read();
            assertThat((char) type).as("a protocol answer, not a reset or EOF").isIn('E', 'R');
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static Socket firstConnection(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("the proxy exited").isTrue();
            try {
                return new Socket("127.0.0.1", port);
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the proxy never listened on " + port);
    }

    private static void assertOneLine(String output, String expected) {
        List<String> lines = output.lines().filter(l -> l.contains(expected)).toList();
        assertThat(lines).as(output).hasSize(1);
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    }

    private Path config(int port, int adminPort) throws IOException {
        Path file = dir.resolve("meridian.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, port: %d }
                admin: { host: 127.0.0.1, port: %d }
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: 1 }
                databases:
                  "*": { regions: [iad] }
                """.formatted(port, adminPort));
        return file;
    }

    private record Run(int exit, String output) {
    }

    private Run run(String... args) throws Exception {
        Process p = start(args);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the proxy should have exited").isTrue();
            return new Run(p.exitValue(), Files.readString(dir.resolve("out.log")));
        } finally {
            p.destroyForcibly();
        }
    }

    private Process start(String... args) throws IOException {
        Path jar = Path.of("target", "meridian.jar").toAbsolutePath();
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    }
}
