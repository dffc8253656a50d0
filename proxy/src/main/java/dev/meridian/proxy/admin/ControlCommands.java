package dev.meridian.proxy.admin;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.ops.ServerControl;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.SessionRegistry;
import dev.meridian.proxy.session.Shutdown;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * The console's controls, as PgBouncer's: RELOAD, PAUSE [db] (waits for the database's active
 * sessions to end), RESUME [db], KILL db, RECONNECT [db], SUSPEND, SHUTDOWN. A database named is
 * a rule's pattern (then it covers every database the rule matches) or a name this proxy has
 * served; any other name is an error (3D000).
 */
final class ControlCommands {
    private static final String OBJECT_NOT_IN_STATE = "55000";
    private static final String UNDEFINED_DATABASE = "3D000";

    private final ProxyContext proxy;

    ControlCommands(ProxyContext proxy) {
        this.proxy = proxy;
    }

    ResultTable reload() {
        var outcome = proxy.reload();
        if (!outcome.applied()) {
            throw new ProtocolException("F0000", "reload refused: " + String.join("; ", outcome.messages()));
        }
        return ResultTable.done("RELOAD");
    }

    /** New sessions wait from now; the answer comes when no session of the database is active. */
    CompletableFuture<ResultTable> pause(String database, ScheduledExecutorService loop) {
        if (database != null) {
            known(database);
        }
        proxy.pauses().pause(database);
        return new PauseWait(proxy, database, covers(database), loop).start();
    }

    ResultTable resume(String database) {
        if (database == null) {
            ServerControl control = proxy.ops().control();
            boolean wasSuspended = control != null && control.suspended();
            if (wasSuspended) {
                control.resume();
            }
            if (!proxy.pauses().resume(null) && !wasSuspended) {
                throw new ProtocolException(OBJECT_NOT_IN_STATE, "nothing is paused or suspended");
            }
            return ResultTable.done("RESUME");
        }
        if (!proxy.pauses().resume(database)) {
            known(database);
            throw new ProtocolException(OBJECT_NOT_IN_STATE, "database " + database + " is not paused"
                    + (proxy.pauses().allPaused() ? " by name (everything is paused: RESUME with no database)" : ""));
        }
        return ResultTable.done("RESUME");
    }

    /** Ends the database's sessions now (57P01) and holds new ones until RESUME, as PgBouncer's KILL. */
    ResultTable kill(String database) {
        if (database == null) {
            throw new ProtocolException(ConsoleCommands.SYNTAX_ERROR, "KILL needs a database: KILL db");
        }
        known(database);
        proxy.pauses().pause(database);
        Predicate<String> covered = covers(database);
        for (SessionRegistry.Entry e : proxy.sessions().list()) {
            if (covered.test(e.database())) {
                e.channel().pipeline().fireUserEventTriggered(Shutdown.INSTANCE);
            }
        }
        return ResultTable.done("KILL");
    }

    /** Server connections of the database (or all) are closed when idle, instead of being pooled again. */
    ResultTable reconnect(String database) {
        Predicate<String> backendDatabase;
        if (database == null) {
            backendDatabase = d -> true;
        } else {
            DatabaseRule rule = known(database);
            backendDatabase = rule.pattern().equals(database)
                    ? d -> rule.matches(d) || d.equals(rule.backendDatabase())
                    : d -> d.equals(rule.backendDatabaseFor(database));
        }
        proxy.pool().servers().reconnect(backendDatabase);
        return ResultTable.done("RECONNECT");
    }

    /** Holds new sessions and stops reading from every client; RESUME undoes both. */
    ResultTable suspend() {
        ServerControl control = control("SUSPEND");
        proxy.pauses().pause(null);
        control.suspend();
        return ResultTable.done("SUSPEND");
    }

    ResultTable shutdown() {
        control("SHUTDOWN").shutdown();
        return ResultTable.done("SHUTDOWN");
    }

    private ServerControl control(String command) {
        ServerControl control = proxy.ops().control();
        if (control == null) {
            throw new ProtocolException("0A000", command + " is not available in this process");
        }
        return control;
    }

    /**
     * The rule of {@code database}: a rule's pattern ({@code orders}, {@code shop*}, {@code *}), or
     * a name a rule serves that this proxy knows (a session used it since start, or one is waiting
     * for it). Anything else is 3D000: with a catch-all rule every name would match, and a typo
     * must not pause nothing in silence.
     */
    private DatabaseRule known(String database) {
        var config = proxy.config();
        var byPattern = config.databases().stream().filter(r -> r.pattern().equals(database)).findFirst();
        if (byPattern.isPresent()) {
            return byPattern.get();
        }
        boolean used = proxy.ops().stats().seen(database)
                || proxy.sessions().list().stream().anyMatch(e -> e.database().equals(database));
        return config.routeFor(database).filter(r -> used).orElseThrow(() -> new ProtocolException(
                UNDEFINED_DATABASE, "no such database: " + database + " (not a databases rule, and no session has"
                        + " used it; SHOW DATABASES lists the rules, and a rule's pattern covers all it serves)"));
    }

    /** Which client databases a PAUSE/KILL of {@code name} covers: the name, or its rule's databases. */
    private Predicate<String> covers(String name) {
        if (name == null) {
            return d -> true;
        }
        return d -> d.equals(name) || proxy.config().routeFor(d).map(r -> r.pattern().equals(name)).orElse(false);
    }
}
