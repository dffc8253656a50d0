package dev.meridian.proxy.localpg;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a timeout and captures its output in full: the local
 * PostgreSQL tools ({@code initdb}, {@code pg_ctl}, {@code psql}) for the demo and the tests.
 *
 * <p>Output goes to temporary files rather than pipes: that can never deadlock on large output,
 * and a daemon the command leaves behind (pg_ctl's postmaster) cannot hold a pipe open and make
 * us wait for an EOF that never comes. Stdin is a file too ({@code /dev/null} when not given),
 * so a tool that unexpectedly reads stdin ends instead of hanging.
 *
 * <p>Instances are immutable; {@code with*} methods return modified copies.
 */
public final class ProcessRunner {

    /** OS user that owns and runs the servers when the JVM runs as root (initdb refuses root). */
    public static final String SERVER_OS_USER = "postgres";

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static volatile Boolean root;

    private final boolean asServerOwner;
    private final Map<String, String> env;
    private final Duration timeout;

    private ProcessRunner(boolean asServerOwner, Map<String, String> env, Duration timeout) {
        this.asServerOwner = asServerOwner;
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** Runs commands as the JVM's own user (client tools: psql, pgbench). */
    public static ProcessRunner asCurrentUser() {
        return new ProcessRunner(false, Map.of(), DEFAULT_TIMEOUT);
    }

    /** Runs commands as the user owning the server files: {@value #SERVER_OS_USER} when root. */
    public static ProcessRunner asServerOwner() {
        return new ProcessRunner(true, Map.of(), DEFAULT_TIMEOUT);
    }

    public ProcessRunner withEnv(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(name, value);
        return new ProcessRunner(asServerOwner, copy, timeout);
    }

    public ProcessRunner withTimeout(Duration newTimeout) {
        return new ProcessRunner(asServerOwner, env, newTimeout);
    }

    public ProcessResult run(String... command) {
        return run(Arrays.asList(command), null);
    }

    /** Like {@link #run(String...)} but throws, with all output, unless the exit code is 0. */
    public ProcessResult runChecked(String... command) {
        return run(command).requireSuccess(Arrays.asList(command));
    }

    /** Runs {@code command}, feeding {@code stdin} (may be null) to it. */
    public ProcessResult run(List<String> command, String stdin) {
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            in = stdin == null ? null : Files.writeString(tempFile(".in"), stdin);
            out = tempFile(".out");
            err = tempFile(".err");
            return runWithFiles(command, in, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private ProcessResult runWithFiles(List<String> command, Path in, Path out, Path err)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(wrap(command))
                .redirectInput(in == null ? new File("/dev/null") : in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (wrapsInOtherUser()) {
            // The JVM's cwd (e.g. a root-owned worktree) may be unreadable for the server user.
            builder.directory(new File("/"));
        }
        configureEnvironment(builder.environment());
        Process process = builder.start();
        boolean finished = waitFor(process, timeout);
        if (!finished) {
            destroyTree(process);
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + "s, killed: "
                    + String.join(" ", command) + read(out, err, -1).describeOutput());
        }
        return read(out, err, process.exitValue());
    }

    void configureEnvironment(Map<String, String> environment) {
        // Inherited PGHOST/PGPORT/PGSSLMODE/PGDATA/... from a developer's shell would silently
        // change what the tools connect to; they must depend only on what callers pass explicitly.
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.putAll(env);
    }

    List<String> wrap(List<String> command) {
        if (!wrapsInOtherUser()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        if (PgBinaries.findOnPath(System.getenv("PATH"), "runuser").isPresent()) {
            wrapped.addAll(List.of("runuser", "-u", SERVER_OS_USER, "--"));
        } else {
            wrapped.addAll(List.of("setpriv", "--reuid=" + SERVER_OS_USER,
                    "--regid=" + SERVER_OS_USER, "--init-groups", "--"));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    boolean wrapsInOtherUser() {
        return asServerOwner && isRoot();
    }

    /** True when the JVM runs as uid 0; cached because it cannot change. */
    public static boolean isRoot() {
        Boolean cached = root;
        if (cached == null) {
            ProcessResult id = asCurrentUser().withTimeout(Duration.ofSeconds(10)).runChecked("id", "-u");
            cached = id.stdout().trim().equals("0");
            root = cached;
        }
        return cached;
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(process);
            throw new IllegalStateException("interrupted while waiting for " + process.info(), e);
        }
    }

    /** Kills children first: killing runuser alone would orphan the real command. */
    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ProcessResult read(Path out, Path err, int exitCode) throws IOException {
        // Lenient decoding: a tool printing invalid UTF-8 must not hide its exit code.
        return new ProcessResult(exitCode,
                new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    }

    private static Path tempFile(String suffix) throws IOException {
        return Files.createTempFile("meridian-proc-", suffix);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temp file is harmless; never mask the command's own outcome.
            }
        }
    }
}
