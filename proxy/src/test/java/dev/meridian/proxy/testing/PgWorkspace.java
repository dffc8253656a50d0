package dev.meridian.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The JVM-wide scratch area for local servers: one temp directory holding the initdb template
 * and one sub-directory per server. A shutdown hook SIGKILLs every server still registered and
 * deletes the directory, so no postmaster outlives the test JVM even if a test class never
 * reaches its {@code afterAll}. Workspaces left by JVMs that died harder than that (SIGKILL)
 * are reaped by {@link StaleWorkspaces} when the next one is created.
 */
final class PgWorkspace {

    static final String DIR_PREFIX = "meridian-pg-";
    static final String OWNER_PID_FILE = "owner.pid";
    static final String WORKDIR_ENV = "MERIDIAN_PG_WORKDIR";
    private static final long MIN_TMPFS_BYTES = 2L << 30;

    private static PgWorkspace instance;

    private final PgBinaries binaries;
    private final Path root;
    private final Set<LocalPgServer> live = ConcurrentHashMap.newKeySet();
    private Path template;

    private PgWorkspace(PgBinaries binaries, Path root) {
        this.binaries = binaries;
        this.root = root;
    }

    static synchronized PgWorkspace get(PgBinaries binaries) {
        if (instance == null) {
            List<Path> candidates = candidateParents();
            candidates.forEach(StaleWorkspaces::reap);
            instance = new PgWorkspace(binaries, createRoot(candidates.get(0)));
            Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdown, "meridian-pg-cleanup"));
        }
        return instance;
    }

    /**
     * Where workspaces may live, preferred first: {@value #WORKDIR_ENV} if set; else a roomy
     * tmpfs, because a cluster is ~1000 files and creating files on some disks (VM images, CI
     * overlays) costs a millisecond each, making every server start seconds slower; else the
     * JVM's temp directory. A small {@code /dev/shm} (Docker's default is 64 MB) is skipped: it
     * would fill up. All are searched for stale workspaces.
     */
    static List<Path> candidateParents() {
        String configured = System.getenv(WORKDIR_ENV);
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

    private static Path createRoot(Path parent) {
        Path root;
        try {
            root = Files.createTempDirectory(parent, DIR_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a workspace in " + parent, e);
        }
        try {
            Files.writeString(root.resolve(OWNER_PID_FILE), Long.toString(ProcessHandle.current().pid()));
            giveToServerUser(root);
            requireUsableByServerUser(root);
            return root;
        } catch (IOException e) {
            deleteTree(root); // no shutdown hook guards it yet
            throw new UncheckedIOException("cannot prepare workspace " + root, e);
        } catch (RuntimeException e) {
            deleteTree(root);
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
                        + "traversable; try " + WORKDIR_ENV + "=/tmp). " + PgBinaries.INSTALL_HINT
                        + probe.describeOutput());
            }
        }
    }

    PgBinaries binaries() {
        return binaries;
    }

    ProcessRunner owner() {
        return ProcessRunner.asServerOwner();
    }

    /** The initdb'd template cluster; created on first use, then copied per primary. */
    synchronized Path template() {
        if (template == null) {
            Path dir = root.resolve("template");
            try {
                template = PgTemplate.create(this, dir);
            } catch (RuntimeException e) {
                deleteTree(dir); // initdb refuses a non-empty directory; let a later class retry
                throw e;
            }
        }
        return template;
    }

    Path newServerDir(String name) {
        try {
            Path dir = Files.createTempDirectory(root, name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
            Files.createDirectory(dir.resolve("sock"));
            giveToServerUser(dir);
            giveToServerUser(dir.resolve("sock"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(LocalPgServer server) {
        live.add(server);
    }

    void unregister(LocalPgServer server) {
        live.remove(server);
    }

    /** Writes a file the server user can read even when we, root, create it. */
    void writeOwned(Path file, String content, StandardOpenOption... options) {
        try {
            Files.writeString(file, content, options);
            giveToServerUser(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void giveToServerUser(Path path) throws IOException {
        if (!ProcessRunner.isRoot()) {
            return;
        }
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(ProcessRunner.SERVER_OS_USER));
        view.setGroup(users.lookupPrincipalByGroupName(ProcessRunner.SERVER_OS_USER));
    }

    /** A currently free TCP port; the caller retries if someone grabs it before the server. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    private void shutdown() {
        for (LocalPgServer server : List.copyOf(live)) {
            server.killNow();
        }
        try {
            deleteTree(root);
        } catch (UncheckedIOException e) {
            System.err.println("meridian-pg-cleanup: " + e.getMessage());
        }
    }
}
