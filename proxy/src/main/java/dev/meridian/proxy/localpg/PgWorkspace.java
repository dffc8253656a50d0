package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scratch area for throwaway local servers: one temp directory holding the initdb template and
 * one sub-directory per {@link LocalCluster}. A shutdown hook closes every server still
 * registered and deletes the directory, so no postmaster outlives the JVM even if the owner (a
 * test class, {@code meridian demo}) never reaches its own cleanup. Workspaces left by JVMs that
 * died harder than that (SIGKILL) are reaped by {@link StaleWorkspaces} when the next one is
 * created.
 *
 * <p>Locks: the workspace's monitor guards its files and is only held briefly; {@link #close()}
 * runs under a lock of its own while it closes the servers (each under its own monitor), so an
 * owner closing a server and the shutdown hook closing the workspace never wait on each other.
 */
public final class PgWorkspace implements AutoCloseable {

    public static final String WORKDIR_ENV = "MERIDIAN_PG_WORKDIR";

    private final PgBinaries binaries;
    private final String superuserPassword;
    private final Path root;
    private final Set<LocalCluster> live = ConcurrentHashMap.newKeySet();
    private final Thread cleanupHook = new Thread(this::closeQuietly, "meridian-pg-cleanup");
    private final Object closeLock = new Object();
    private Path template;
    private volatile boolean closed;

    private PgWorkspace(PgBinaries binaries, String superuserPassword, Path root) {
        this.binaries = binaries;
        this.superuserPassword = superuserPassword;
        this.root = root;
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /**
     * A new workspace whose servers give the superuser {@link LocalCluster#SUPERUSER} the
     * password {@code superuserPassword}; stale workspaces are removed first.
     */
    public static PgWorkspace create(PgBinaries binaries, String superuserPassword) {
        List<Path> candidates = WorkspaceRoot.candidateParents();
        candidates.forEach(StaleWorkspaces::reap);
        return new PgWorkspace(binaries, superuserPassword, WorkspaceRoot.create(candidates.get(0)));
    }

    public Path root() {
        return root;
    }

    public PgBinaries binaries() {
        return binaries;
    }

    String superuserPassword() {
        return superuserPassword;
    }

    ProcessRunner owner() {
        return ProcessRunner.asServerOwner();
    }

    /** The initdb'd template cluster; created on first use, then copied per primary. */
    synchronized Path template() {
        requireOpen();
        if (template == null) {
            Path dir = root.resolve("template");
            try {
                template = PgTemplate.create(this, dir);
            } catch (RuntimeException e) {
                ServerFiles.deleteTree(dir); // initdb refuses a non-empty directory; a later caller may retry
                throw e;
            }
        }
        return template;
    }

    synchronized Path newServerDir(String name) {
        requireOpen();
        try {
            Path dir = Files.createTempDirectory(root, name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
            Files.createDirectory(dir.resolve("sock"));
            ServerFiles.giveToServerUser(dir);
            ServerFiles.giveToServerUser(dir.resolve("sock"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(LocalCluster server) {
        live.add(server);
    }

    /**
     * Kills what still runs of {@code server} and deletes its directory. Under the workspace's
     * lock, so that it never races {@link #close()} deleting the same files.
     */
    synchronized void release(LocalCluster server, Path serverDir) {
        try {
            server.killNow();
        } finally {
            live.remove(server);
            ServerFiles.deleteTree(serverDir);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("workspace " + root + " is closed (shutting down)");
        }
    }

    /**
     * Closes every server still registered (a fast shutdown, SIGKILL if that fails: a killed
     * server would leave its shared memory behind) and deletes the whole directory. A second
     * caller waits until the first has finished.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; this may be the hook itself.
            }
            RuntimeException failure = null;
            for (LocalCluster server : List.copyOf(live)) {
                try {
                    server.close();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure; // the other servers must still go
                }
            }
            synchronized (this) {
                ServerFiles.deleteTree(root);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("meridian-pg-cleanup: " + e.getMessage());
        }
    }
}
