package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cleans up after JVMs that were SIGKILLed (IDE stop button, OOM killer, CI timeout): their
 * shutdown hook never ran, so their postmasters still run and their directories still exist.
 * A workspace is stale only when the JVM pid recorded in it is gone; live workspaces of
 * concurrently running JVMs (other test runs, a running demo) are left alone.
 */
final class StaleWorkspaces {

    /** A workspace without a pid file may be one that is being created right now. */
    private static final Duration PID_FILE_GRACE = Duration.ofMinutes(10);

    private StaleWorkspaces() {
    }

    static void reap(Path tmp) {
        try (Stream<Path> entries = Files.list(tmp)) {
            List<Path> stale = entries
                    .filter(dir -> dir.getFileName().toString().startsWith(WorkspaceRoot.DIR_PREFIX))
                    .filter(Files::isDirectory)
                    .filter(StaleWorkspaces::isStale)
                    .toList();
            stale.forEach(StaleWorkspaces::reapOne);
        } catch (IOException | UncheckedIOException e) {
            // Best effort only: failing to tidy up someone else's mess must not fail this run.
            System.err.println("meridian: could not reap stale workspaces in " + tmp + ": " + e);
        }
    }

    private static boolean isStale(Path workspace) {
        Optional<Long> owner = ownerPid(workspace);
        if (owner.isPresent()) {
            return !ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false);
        }
        return isOlderThan(workspace, PID_FILE_GRACE);
    }

    private static void reapOne(Path workspace) {
        try (Stream<Path> servers = Files.list(workspace)) {
            servers.filter(Files::isDirectory).map(server -> server.resolve("data"))
                    .forEach(Postmaster::killAndCleanUp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerFiles.deleteTree(workspace);
        System.err.println("meridian: removed stale PostgreSQL workspace " + workspace);
    }

    private static Optional<Long> ownerPid(Path workspace) {
        try {
            return Optional.of(Long.parseLong(
                    Files.readString(workspace.resolve(WorkspaceRoot.OWNER_PID_FILE)).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isOlderThan(Path path, Duration age) {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }
}
