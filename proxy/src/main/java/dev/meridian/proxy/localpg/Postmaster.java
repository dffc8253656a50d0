package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Process-level control of a local server, by the pid its postmaster.pid file records. */
final class Postmaster {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final boolean HAS_PROC = Files.isDirectory(Path.of("/proc/self"));

    private Postmaster() {
    }

    /**
     * The running postmaster of {@code dataDir}, if any. The pid in a stale postmaster.pid may
     * since have been reused by an unrelated process, possibly another server's backend, which
     * must never be killed; a postmaster's working directory is its data directory, so that is
     * what identifies it.
     */
    static Optional<ProcessHandle> find(Path dataDir) {
        return readPidFile(dataDir).stream().findFirst()
                .flatMap(pid -> parseLong(pid.trim()))
                .flatMap(ProcessHandle::of)
                .filter(Postmaster::isRunning)
                .filter(process -> runsIn(process, dataDir));
    }

    /**
     * Kills the postmaster of {@code dataDir} if it runs, then removes what a killed postmaster
     * leaves behind: its pid and socket lock files (postgres trusts them while their pid is a
     * zombie, so a restart would refuse to run) and its System V shared memory segment (which
     * would otherwise outlive the data directory until the next reboot).
     */
    static void killAndCleanUp(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            return; // never created, or already deleted
        }
        find(dataDir).ifPresent(Postmaster::kill);
        if (find(dataDir).isPresent()) {
            return; // still running after all; its files are not leftovers
        }
        List<String> pidFile = readPidFile(dataDir);
        if (pidFile.size() >= 7) {
            String[] keyAndId = pidFile.get(6).trim().split("\\s+");
            ProcessRunner.asCurrentUser().withTimeout(EXIT_TIMEOUT).run("ipcrm", "-m", keyAndId[keyAndId.length - 1]);
        }
        if (pidFile.size() >= 5 && !pidFile.get(4).isBlank()) {
            Path socket = Path.of(pidFile.get(4).trim(), ".s.PGSQL." + pidFile.get(3).trim());
            deleteIfExists(socket.resolveSibling(socket.getFileName() + ".lock"));
            deleteIfExists(socket);
        }
        deleteIfExists(dataDir.resolve("postmaster.pid"));
    }

    private static List<String> readPidFile(Path dataDir) {
        try {
            return Files.readAllLines(dataDir.resolve("postmaster.pid"));
        } catch (IOException e) {
            return List.of(); // absent, or deleted while the server stops
        }
    }

    private static boolean runsIn(ProcessHandle process, Path dataDir) {
        if (!HAS_PROC) {
            return process.info().command().map(command -> command.endsWith("/postgres")).orElse(true);
        }
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            return cwd.equals(dataDir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty(); // half-written while the server starts
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGKILLs the postmaster the way a crash would. Its children notice by themselves and exit;
     * any still alive after a grace period are SIGKILLed too, because a lingering backend keeps
     * the old shared memory attached and would make the next start refuse to run.
     */
    private static void kill(ProcessHandle postmaster) {
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        awaitExit(postmaster, EXIT_TIMEOUT);
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        for (ProcessHandle child : children) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!awaitExit(child, left)) {
                child.destroyForcibly();
                awaitExit(child, EXIT_TIMEOUT);
            }
        }
    }

    static void awaitPortClosed(String host, int port, Duration timeout) {
        Await.until(timeout, () -> !Ports.isOpen(host, port),
                () -> host + ":" + port + " still accepts TCP connections");
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            Await.until(timeout, () -> !isRunning(process), () -> "pid " + process.pid() + " exits");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Like {@link ProcessHandle#isAlive()}, but a zombie counts as exited. A killed postmaster's
     * processes are re-parented to PID 1, which reaps them late (seconds, in some VMs) or, in a
     * container whose PID 1 is not an init, never; yet a zombie holds no port and no memory.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!HAS_PROC) {
            return process.isAlive();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X' && process.isAlive();
        } catch (IOException | RuntimeException e) {
            return false; // gone between the listing and the read
        }
    }
}
