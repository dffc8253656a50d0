package dev.meridian.proxy.localpg;

import java.util.ArrayList;
import java.util.List;

/** Command lines for {@code psql} as programs (not people) run it. */
public final class Psql {

    /**
     * No psqlrc, stop at the first error, unaligned tuples-only output (easy to read back), and
     * never prompt for a password: a prompt on someone's terminal would hang the caller.
     */
    public static final List<String> SCRIPT_OPTIONS = List.of("-X", "-v", "ON_ERROR_STOP=1", "-At", "-w");

    private Psql() {
    }

    /** {@code psql} with the connection options, then {@code args} as given. */
    public static List<String> command(PgBinaries binaries, String host, int port, String user,
            String database, List<String> args) {
        List<String> command = new ArrayList<>(List.of(binaries.psql().toString(),
                "-h", host, "-p", Integer.toString(port), "-U", user, "-d", database));
        command.addAll(args);
        return command;
    }

    /**
     * Runs {@code statements} with {@link #SCRIPT_OPTIONS}, each in its own transaction, logging in
     * with {@code password} (through the environment, never the command line); returns the output.
     */
    public static String execute(PgBinaries binaries, String host, int port, String user, String password,
            String database, String... statements) {
        List<String> args = new ArrayList<>(SCRIPT_OPTIONS);
        for (String statement : statements) {
            args.addAll(List.of("-c", statement));
        }
        List<String> command = command(binaries, host, port, user, database, args);
        return ProcessRunner.asCurrentUser().withEnv("PGPASSWORD", password).withEnv("PGCONNECT_TIMEOUT", "10")
                .run(command, null).requireSuccess(command).stdout();
    }
}
