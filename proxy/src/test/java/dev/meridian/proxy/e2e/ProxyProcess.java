package dev.meridian.proxy.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real fat jar ({@code proxy/target/meridian.jar}, built by {@code package} before the
 * integration tests run) as a child process, for tests of signals and process behaviour.
 */
final class ProxyProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private ProxyProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static ProxyProcess start(Path config, int port, String... command) throws Exception {
        Path jar = Path.of("target", "meridian.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests through `./mvnw verify`");
        }
        Path log = Files.createTempFile("meridian-proxy", ".log");
        String[] cmd = new String[command.length + 4];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The shipped jar turns leak detection off unless asked; the tests ask, as in-process ones do.
        cmd[1] = "-Dio.netty.leakDetection.level=paranoid";
        cmd[2] = "-jar";
        cmd[3] = jar.toString();
        System.arraycopy(command, 0, cmd, 4, command.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProxyProcess proxy = new ProxyProcess(p, log, port);
        try {
            proxy.awaitListening();
        } catch (Exception | Error e) {
            p.destroyForcibly(); // never leave an orphan proxy behind a failed start
            throw e;
        }
        return proxy;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("proxy exited " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("proxy did not listen on " + port + ":\n" + log());
    }

    long pid() {
        return process.pid();
    }

    void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    Process process() {
        return process;
    }

    /** Stops the process; a buffer leak it reported fails the test that ran it. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = log();
        Files.deleteIfExists(log);
        if (output.contains("LEAK:")) {
            throw new AssertionError("the proxy process reported a buffer leak:\n" + output);
        }
    }
}
