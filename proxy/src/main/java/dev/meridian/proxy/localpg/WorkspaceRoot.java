package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where a {@link PgWorkspace} directory goes, and how it is made usable by the server user. */
final class WorkspaceRoot {

    static final String DIR_PREFIX = "meridian-pg-";
    static final String OWNER_PID_FILE = "owner.pid";
    private static final long MIN_TMPFS_BYTES = 2L << 30;

    private WorkspaceRoot() {
    }

    /**
     * Where workspaces may live, preferred first: {@value PgWorkspace#WORKDIR_ENV} if set; else a
     * roomy tmpfs, because a cluster is ~1000 files and creating files on some disks (VM images,
     * CI overlays) costs a millisecond each, making every server start seconds slower; else the
     * JVM's temp directory. A small {@code /dev/shm} (Docker's default is 64 MB) is skipped: it
     * would fill up. All are searched for stale workspaces.
     */
    static List<Path> candidateParents() {
        String configured = System.getenv(PgWorkspace.WORKDIR_ENV);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (configured != null && !configured.isBlank()) {
            return Stream.of(Path.of(configured), tmp).distinct().toList();
        }
        Path shm = Path.of("/dev/shm");
        return hasRoom(shm) ? List.of(shm, tmp) : List.of(tmp);
    }

    private static boolean hasRoom(Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isWritable(dir)
                    && Files.getFileStore(dir).getUsableSpace() >= MIN_TMPFS_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** A new directory in {@code parent}, recording our pid so others can tell it is not stale. */
    static Path create(Path parent) {
        Path root;
        try {
            root = Files.createTempDirectory(parent, DIR_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a workspace in " + parent, e);
        }
        try {
            Files.writeString(root.resolve(OWNER_PID_FILE), Long.toString(ProcessHandle.current().pid()));
            ServerFiles.giveToServerUser(root);
            requireUsableByServerUser(root);
            return root;
        } catch (IOException e) {
            ServerFiles.deleteTree(root); // no shutdown hook guards it yet
            throw new UncheckedIOException("cannot prepare workspace " + root, e);
        } catch (RuntimeException e) {
            ServerFiles.deleteTree(root);
            throw e;
        }
    }

    /** As root the servers run as another user, who must be able to reach this directory. */
    private static void requireUsableByServerUser(Path root) {
        if (ProcessRunner.isRoot()) {
            ProcessResult probe = ProcessRunner.asServerOwner().run("test", "-w", root.toString());
            if (!probe.succeeded()) {
                throw new IllegalStateException("OS user '" + ProcessRunner.SERVER_OS_USER
                        + "' cannot write " + root + " (missing user, or a parent directory is not "
                        + "traversable; try " + PgWorkspace.WORKDIR_ENV + "=/tmp). "
                        + PgBinaries.INSTALL_HINT + probe.describeOutput());
            }
        }
    }
}
