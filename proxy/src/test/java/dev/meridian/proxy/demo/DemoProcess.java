package dev.meridian.proxy.demo;

import dev.meridian.proxy.cli.Main;
import dev.meridian.proxy.localpg.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code meridian demo} as a user runs it: a separate JVM from the built classes, in a session of
 * its own (as a terminal gives it), so a signal to its process group is what Ctrl-C sends.
 */
final class DemoProcess implements AutoCloseable {

    private static final Duration READY_WAIT = Duration.ofSeconds(120);

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final Path stderr;

    private DemoProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::readStdout, "demo-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code meridian demo} with {@code args}. {@code setsid} makes it a process group
     * leader; {@code env --default-signal=INT} undoes an ignored SIGINT inherited from a build
     * started in the background, which the JVM would otherwise keep ignoring.
     */
    static DemoProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", "env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo"));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("meridian-demo-", ".err");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(stderr.toFile())
                .start();
        return new DemoProcess(process, stderr);
    }

    private void readStdout() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                stdout.append(line).append('\n');
            }
        } catch (IOException e) {
            stdout.append("(stdout unreadable: ").append(e).append(")\n");
        }
    }

    /** Waits for the banner's last line; fails with both outputs if the demo exits or hangs. */
    DemoOutput awaitReady() {
        Await.until(READY_WAIT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("demo exited with " + process.exitValue());
            }
            return stdout().contains(DemoBanner.READY);
        }, () -> "demo did not get ready\n" + describe());
        return new DemoOutput(stdout());
    }

    /** Sends {@code signal} (e.g. "INT") to the demo's whole process group, like Ctrl-C does. */
    void signalGroup(String signal) throws IOException, InterruptedException {
        kill(signal, "-" + process.pid());
    }

    /**
     * SIGTERM to the JVM alone, as Docker, Fly.io and systemd stop a process. Not through
     * {@link Process#destroy()}, which also closes our end of its stdout.
     */
    void terminate() throws IOException, InterruptedException {
        kill("TERM", Long.toString(process.pid()));
    }

    private static void kill(String signal, String target) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", target).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + target + " failed");
        }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("demo still runs after " + timeout + "\n" + describe());
        }
        return process.exitValue();
    }

    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    /** Kills a demo a failed test left running; its own shutdown hook still removes the servers. */
    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(stderr);
    }
}
