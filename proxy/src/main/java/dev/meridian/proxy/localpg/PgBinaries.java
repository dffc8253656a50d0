package dev.meridian.proxy.localpg;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Locates a local PostgreSQL installation's bin directory.
 *
 * <p>Order: {@value #BINDIR_ENV} (explicit, so a wrong value fails instead of being skipped),
 * {@code pg_config --bindir}, the directory of an {@code initdb} on PATH (symlinks resolved, as
 * Debian keeps the real binaries outside PATH), then the highest {@code /usr/lib/postgresql/N/bin}.
 * A candidate only counts if it holds the server binaries: on Debian {@code pg_config} may come
 * from libpq-dev and point at a directory with client tools only.
 */
public final class PgBinaries {

    public static final String BINDIR_ENV = "MERIDIAN_PG_BINDIR";
    public static final String INSTALL_HINT = "Install the PostgreSQL server binaries, e.g. "
            + "'apt-get install -y postgresql' (Debian/Ubuntu) or 'brew install postgresql@15' "
            + "(macOS), or set " + BINDIR_ENV + " to a bin directory containing initdb and postgres.";

    private static final List<String> SERVER_TOOLS = List.of("initdb", "postgres", "pg_ctl");
    private static final Path DEBIAN_VERSIONS_ROOT = Path.of("/usr/lib/postgresql");
    private static volatile Optional<PgBinaries> detected;

    private final Path binDir;

    /** The installation in {@code binDir}, taken as given; {@link #find()} looks one up. */
    public PgBinaries(Path binDir) {
        this.binDir = binDir;
    }

    /** The installation on this machine, if any; looked up once per JVM. */
    public static Optional<PgBinaries> find() {
        Optional<PgBinaries> cached = detected;
        if (cached == null) {
            cached = locate(System.getenv(BINDIR_ENV), PgBinaries::pgConfigBindir,
                    System.getenv("PATH"), DEBIAN_VERSIONS_ROOT);
            detected = cached;
        }
        return cached;
    }

    /** Like {@link #find()} but fails with installation instructions. */
    public static PgBinaries require() {
        return find().orElseThrow(() -> new IllegalStateException(
                "No local PostgreSQL server binaries found (checked " + BINDIR_ENV
                        + ", pg_config --bindir, PATH, " + DEBIAN_VERSIONS_ROOT + "/*/bin). "
                        + INSTALL_HINT));
    }

    static Optional<PgBinaries> locate(String override, Supplier<Optional<Path>> pgConfigBindir,
            String pathEnv, Path versionsRoot) {
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override);
            if (!isServerBinDir(dir)) {
                throw new IllegalStateException(BINDIR_ENV + "=" + override
                        + " does not contain executable " + SERVER_TOOLS);
            }
            return Optional.of(new PgBinaries(dir));
        }
        return pgConfigBindir.get().filter(PgBinaries::isServerBinDir)
                .or(() -> fromPath(pathEnv))
                .or(() -> highestVersion(versionsRoot))
                .map(PgBinaries::new);
    }

    static boolean isServerBinDir(Path dir) {
        return SERVER_TOOLS.stream().allMatch(tool -> Files.isExecutable(dir.resolve(tool)));
    }

    static Optional<Path> fromPath(String pathEnv) {
        return findOnPath(pathEnv, "initdb")
                .map(PgBinaries::realPath)
                .map(Path::getParent)
                .filter(PgBinaries::isServerBinDir);
    }

    /** Picks the newest major version; compares numerically so that 16 beats 9.6. */
    static Optional<Path> highestVersion(Path versionsRoot) {
        if (!Files.isDirectory(versionsRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(versionsRoot)) {
            return versions
                    .filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                    .sorted(Comparator.comparing(PgBinaries::versionOf, PgBinaries::compareVersions)
                            .reversed())
                    .map(dir -> dir.resolve("bin"))
                    .filter(PgBinaries::isServerBinDir)
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first executable {@code name} in the directories of a PATH value. */
    public static Optional<Path> findOnPath(String pathEnv, String name) {
        if (pathEnv == null) {
            return Optional.empty();
        }
        return Arrays.stream(pathEnv.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Optional<Path> pgConfigBindir() {
        Optional<Path> pgConfig = findOnPath(System.getenv("PATH"), "pg_config");
        if (pgConfig.isEmpty()) {
            return Optional.empty();
        }
        ProcessResult result = ProcessRunner.asCurrentUser().withTimeout(Duration.ofSeconds(20))
                .run(pgConfig.get().toString(), "--bindir");
        String dir = result.stdout().trim();
        return result.succeeded() && !dir.isEmpty() ? Optional.of(Path.of(dir)) : Optional.empty();
    }

    private static int[] versionOf(Path dir) {
        return Arrays.stream(dir.getFileName().toString().split("\\.")).mapToInt(Integer::parseInt)
                .toArray();
    }

    private static int compareVersions(int[] a, int[] b) {
        return Arrays.compare(a, b);
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file;
        }
    }

    public Path binDir() {
        return binDir;
    }

    public Path initdb() {
        return tool("initdb");
    }

    public Path postgres() {
        return tool("postgres");
    }

    public Path pgCtl() {
        return tool("pg_ctl");
    }

    public Path pgBasebackup() {
        return tool("pg_basebackup");
    }

    public Path psql() {
        return tool("psql");
    }

    public Path pgbench() {
        return tool("pgbench");
    }

    /** Any tool of this installation; fails clearly if this installation lacks it. */
    public Path tool(String name) {
        Path tool = binDir.resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(name + " not found in " + binDir + ". " + INSTALL_HINT);
        }
        return tool;
    }

    @Override
    public String toString() {
        return "PgBinaries[" + binDir + "]";
    }
}
