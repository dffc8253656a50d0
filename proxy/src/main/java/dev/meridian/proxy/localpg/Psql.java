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
}
