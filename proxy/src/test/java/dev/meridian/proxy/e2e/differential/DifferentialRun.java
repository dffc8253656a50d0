package dev.meridian.proxy.e2e.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One mode's run of one seed: every client's program at the same time, each on its own thread
 * and connection, through one port. Client {@code i} talks the wire protocol itself, except
 * every third client, which is pgjdbc with server-side named statements.
 */
public final class DifferentialRun {
    private DifferentialRun() {
    }

    public static boolean usesJdbc(int client) {
        return client % 3 == 2;
    }

    public static List<Op> program(long seed, int client, int episodes) {
        return ProgramGenerator.program(seed, client, usesJdbc(client), episodes);
    }

    /**
     * Startup parameters of a wire client: a quarter of them also set {@code statement_timeout}
     * through {@code options}, which RESET must return to in both modes.
     */
    static Map<String, String> startup(int client) {
        return client % 4 == 1
                ? Map.of("user", "postgres", "database", "postgres", "application_name", "diff",
                        "options", "-c statement_timeout=30s")
                : Map.of("user", "postgres", "database", "postgres", "application_name", "diff");
    }

    /** The traces of clients 0..clients-1, in client order. */
    public static List<List<String>> run(int port, long seed, int clients, int episodes, Notifier notifier)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                List<Op> program = program(seed, client, episodes);
                futures.add(pool.submit(() -> usesJdbc(client)
                        ? JdbcRunner.run(port, program, notifier)
                        : WireRunner.run(port, startup(client), program, notifier)));
            }
            List<List<String>> traces = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                traces.add(f.get());
            }
            return traces;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null when equal, else the first difference with a few lines of context from both. */
    public static String difference(List<String> sessionTrace, List<String> transactionTrace) {
        List<String> session = sessionTrace;
        List<String> transaction = transactionTrace;
        int n = 0;
        while (n < session.size() && n < transaction.size() && session.get(n).equals(transaction.get(n))) {
            n++;
        }
        if (n == session.size() && n == transaction.size()) {
            return null;
        }
        int from = Math.max(0, n - 8);
        return "first difference at trace line " + n + "\n--- session mode:\n"
                + String.join("\n", session.subList(from, Math.min(session.size(), n + 4)))
                + "\n--- transaction mode:\n"
                + String.join("\n", transaction.subList(from, Math.min(transaction.size(), n + 4)));
    }
}
