package dev.meridian.proxy.cli;

import dev.meridian.protocol.auth.ScramVerifier;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian scram-secret USER}: reads a password (without echo on a terminal, else one
 * line of stdin) and prints a users-file line with a fresh SCRAM-SHA-256 verifier. The password
 * itself is never printed.
 */
@Command(name = "scram-secret", mixinStandardHelpOptions = true,
        description = "Read a password on stdin, print a users-file line with its SCRAM-SHA-256 verifier.")
final class ScramSecretCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "USER", description = "The user name.")
    String user;

    @Override
    public Integer call() throws IOException {
        String password = readPassword();
        if (password == null || password.isEmpty()) {
            System.err.println("no password given on stdin");
            return 1;
        }
        System.out.println(quote(user) + " " + quote(ScramVerifier.generate(password).encode()));
        return 0;
    }

    private static String readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] chars = console.readPassword("Password: ");
            return chars == null ? null : new String(chars);
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** PgBouncer's auth_file quoting: a quote inside a field is doubled. */
    static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
