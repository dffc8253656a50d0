package dev.meridian.proxy.admin;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.SessionRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * PAUSE's answer: like PgBouncer's, it comes once no session of the paused database is active
 * (in session pooling, once their clients have left). Checked every {@link #POLL_MS} ms on the
 * console's event loop. A RESUME meanwhile ends the wait with 57014; a console that leaves
 * stops waiting, and the database stays paused.
 */
final class PauseWait {
    static final long POLL_MS = 100;

    private final ProxyContext proxy;
    private final String database;
    private final Predicate<String> covered;
    private final ScheduledExecutorService loop;
    private final CompletableFuture<ResultTable> answer = new CompletableFuture<>();

    PauseWait(ProxyContext proxy, String database, Predicate<String> covered, ScheduledExecutorService loop) {
        this.proxy = proxy;
        this.database = database;
        this.covered = covered;
        this.loop = loop;
    }

    CompletableFuture<ResultTable> start() {
        check();
        return answer;
    }

    private void check() {
        if (answer.isDone()) {
            return; // the console left
        }
        boolean stillPaused = database == null ? proxy.pauses().allPaused()
                : proxy.pauses().pausedDatabases().contains(database);
        if (!stillPaused) {
            answer.completeExceptionally(new ProtocolException("57014", "PAUSE "
                    + (database == null ? "" : database + " ") + "ended by RESUME before its sessions finished"));
        } else if (proxy.sessions().list().stream()
                .noneMatch(e -> e.state() == SessionRegistry.State.ACTIVE && covered.test(e.database()))) {
            answer.complete(ResultTable.done("PAUSE"));
        } else {
            loop.schedule(this::check, POLL_MS, TimeUnit.MILLISECONDS);
        }
    }
}
