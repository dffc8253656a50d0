package dev.meridian.proxy.testing;

import dev.meridian.proxy.localpg.PgBinaries;
import dev.meridian.proxy.localpg.ProcessRunner;
import dev.meridian.proxy.localpg.Psql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real PostgreSQL client programs against any endpoint: a test server, or the proxy.
 * They run as the JVM's user (no special user needed) with only the PG* environment given here.
 *
 * <p>A null password sets no {@code PGPASSWORD}; the password file is always disabled, so what
 * a test passes is exactly what the client sends.
 */
public final class PgTools {

    /** No psqlrc, stop at the first error, unaligned tuples-only output, never a password prompt. */
    public static final List<String> PSQL_DEFAULTS = Psql.SCRIPT_OPTIONS;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final PgBinaries binaries;
    private final ProcessRunner runner;

    private PgTools(PgBinaries binaries, ProcessRunner runner) {
        this.binaries = binaries;
        this.runner = runner;
    }

    /** Client tools of the local installation; fails with install instructions if there is none. */
    public static PgTools local() {
        return new PgTools(PgBinaries.require(), ProcessRunner.asCurrentUser()
                .withTimeout(DEFAULT_TIMEOUT)
                .withEnv("PGCONNECT_TIMEOUT", "10")
                // A ~/.pgpass of the developer must not supply passwords the test did not.
                .withEnv("PGPASSFILE", "/nonexistent/meridian-no-pgpass"));
    }

    /** Adds an environment variable, e.g. {@code PGSSLMODE} or {@code PGAPPNAME}. */
    public PgTools withEnv(String name, String value) {
        return new PgTools(binaries, runner.withEnv(name, value));
    }

    /** Kills a tool that runs longer than this and fails the call. */
    public PgTools withTimeout(Duration timeout) {
        return new PgTools(binaries, runner.withTimeout(timeout));
    }

    /** {@code psql} with {@link #PSQL_DEFAULTS}, then {@code args} (e.g. {@code "-c", "SELECT 1"}). */
    public ProcessResult psql(PgEndpoint target, String user, String password, String database,
            String... args) {
        return psqlRaw(target, user, password, database, withDefaults(args));
    }

    /** {@code psql} with {@link #PSQL_DEFAULTS}, reading {@code script} from stdin. */
    public ProcessResult psqlScript(PgEndpoint target, String user, String password, String database,
            String script) {
        return run(psqlCommand(target, user, database, withDefaults()), password, script);
    }

    /** {@code psql} with only the connection options: for tests that need other flags. */
    public ProcessResult psqlRaw(PgEndpoint target, String user, String password, String database,
            String... args) {
        return run(psqlCommand(target, user, database, args), password, null);
    }

    /** {@code pgbench} with the connection options, then {@code args}, then the database. */
    public ProcessResult pgbench(PgEndpoint target, String user, String password, String database,
            String... args) {
        List<String> command = new ArrayList<>(List.of(binaries.pgbench().toString(),
                "-h", target.host(), "-p", Integer.toString(target.port()), "-U", user));
        command.addAll(List.of(args));
        command.add(database); // last: BSD getopt stops at the first non-option argument
        return run(command, password, null);
    }

    private List<String> psqlCommand(PgEndpoint target, String user, String database, String... args) {
        return Psql.command(binaries, target.host(), target.port(), user, database, List.of(args));
    }

    private static String[] withDefaults(String... args) {
        List<String> all = new ArrayList<>(PSQL_DEFAULTS);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private ProcessResult run(List<String> command, String password, String stdin) {
        ProcessRunner withPassword = password == null ? runner : runner.withEnv("PGPASSWORD", password);
        return ProcessResult.of(withPassword.run(command, stdin));
    }
}
