package dev.meridian.proxy.admin;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.session.ProxyContext;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The admin console's commands, answered in the tabular form PgBouncer users know: SHOW ...
 * ({@link ShowCommands}), RELOAD, and the controls PAUSE, RESUME, KILL, RECONNECT, SUSPEND and
 * SHUTDOWN ({@link ControlCommands}). Most answer at once; PAUSE answers when the paused
 * database's sessions are done.
 */
public final class ConsoleCommands {
    static final String SYNTAX_ERROR = "42601";

    private final ShowCommands show;
    private final ControlCommands control;

    public ConsoleCommands(ProxyContext proxy) {
        this.show = new ShowCommands(proxy);
        this.control = new ControlCommands(proxy);
    }

    /**
     * Runs one command; {@code loop} schedules what waits (PAUSE). A bad command fails with a
     * {@link ProtocolException} carrying its SQLSTATE, thrown or in the future.
     */
    public CompletableFuture<ResultTable> run(String query, ScheduledExecutorService loop) {
        String[] words = query.strip().replaceAll(";+\\s*$", "").strip().split("\\s+");
        String verb = words[0].toUpperCase(Locale.ROOT);
        if (verb.equals("SET")) {
            return done(ResultTable.done("SET")); // drivers set application_name etc.: accepted, no effect
        }
        if (words.length > 2) {
            throw unknown(query);
        }
        String arg = words.length > 1 ? unquote(words[1]) : null;
        return switch (verb) {
            case "SHOW" -> done(show.run(arg == null ? "" : arg.toUpperCase(Locale.ROOT), query));
            case "RELOAD" -> done(noArgument(arg, query, control::reload));
            case "PAUSE" -> control.pause(arg, loop);
            case "RESUME" -> done(control.resume(arg));
            case "KILL" -> done(control.kill(arg));
            case "RECONNECT" -> done(control.reconnect(arg));
            case "SUSPEND" -> done(noArgument(arg, query, control::suspend));
            case "SHUTDOWN" -> done(noArgument(arg, query, control::shutdown));
            default -> throw unknown(query);
        };
    }

    private static CompletableFuture<ResultTable> done(ResultTable table) {
        return CompletableFuture.completedFuture(table);
    }

    /** A command that takes no database: refused with one, before it runs. */
    private static ResultTable noArgument(String arg, String query, Supplier<ResultTable> command) {
        if (arg != null) {
            throw unknown(query);
        }
        return command.get();
    }

    /** {@code "Orders"} names the database Orders, as in SQL. */
    private static String unquote(String word) {
        return word.length() > 1 && word.startsWith("\"") && word.endsWith("\"")
                ? word.substring(1, word.length() - 1) : word;
    }

    static ProtocolException unknown(String query) {
        return new ProtocolException(SYNTAX_ERROR, "unknown admin command: " + query.strip()
                + " (SHOW HELP lists the commands)");
    }
}
