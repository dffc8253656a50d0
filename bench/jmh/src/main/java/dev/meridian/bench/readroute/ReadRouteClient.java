package dev.meridian.bench.readroute;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read-routing benchmark's client (bench/readroute.sh): {@code --clients} pgjdbc clients, each
 * running the 90/10 mix of {@link ReadRouteWorker} for {@code --warmup-seconds} (not recorded)
 * and then {@code --seconds}; prints one JSON line: read and write p50/p99 (ms), statements per
 * second, the share of reads a replica answered ({@code pg_is_in_recovery()} in the read's own
 * row), stale reads and errors. Errors go to stderr (the first 20 in full).
 *
 * <pre>
 * java -cp benchmarks.jar dev.meridian.bench.readroute.ReadRouteClient --url 127.0.0.1:6432/bench \
 *     --user postgres --clients 16 --seconds 15 [--split] [--options "-c meridian.target=read-write"] \
 *     [--label auto] [--round 1] [--prepare-threshold 5] [--think-ms 0]
 * </pre>
 */
public final class ReadRouteClient {
    private String url;
    private final Properties props = new Properties();
    private int clients = 16;
    private double seconds = 15;
    private double warmupSeconds = 3;
    private boolean split;
    private String label = "run";
    private int round = 1;
    private long thinkMillis;

    public static void main(String[] args) throws Exception {
        ReadRouteClient c = new ReadRouteClient();
        c.props.setProperty("sslmode", "disable");
        c.props.setProperty("assumeMinServerVersion", "15");
        c.props.setProperty("connectTimeout", "30");
        c.parse(args);
        System.exit(c.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--split")) {
                split = true;
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[++i];
            switch (args[i - 1]) {
                case "--url" -> url = "jdbc:postgresql://" + v;
                case "--user" -> props.setProperty("user", v);
                case "--password" -> props.setProperty("password", v);
                case "--options" -> props.setProperty("options", v);
                case "--prepare-threshold" -> props.setProperty("prepareThreshold", v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
                case "--label" -> label = v;
                case "--round" -> round = Integer.parseInt(v);
                case "--think-ms" -> thinkMillis = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("no --url");
        }
    }

    private int run() throws InterruptedException {
        long from = System.nanoTime() + (long) (warmupSeconds * 1e9);
        ReadRouteWorker.Window window = new ReadRouteWorker.Window(from, from + (long) (seconds * 1e9));
        AtomicInteger logged = new AtomicInteger();
        List<ReadRouteWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            ReadRouteWorker w = new ReadRouteWorker(url, props, i, split, thinkMillis, window, line -> {
                if (logged.incrementAndGet() <= 20) {
                    System.err.println("[" + label + " round " + round + "] " + line);
                }
            });
            workers.add(w);
            Thread t = new Thread(w, "client-" + i);
            t.start();
            threads.add(t);
        }
        long deadline = window.to() + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        boolean hung = threads.stream().anyMatch(Thread::isAlive);
        if (hung) {
            System.err.println("[" + label + " round " + round + "] some clients did not finish within 60 s of the end");
        }
        report(workers);
        return hung ? 1 : 0;
    }

    private void report(List<ReadRouteWorker> workers) {
        Samples reads = new Samples();
        Samples afterWrite = new Samples();
        Samples writes = new Samples();
        Samples onReplica = new Samples();
        Samples onPrimary = new Samples();
        long stale = 0;
        long errors = 0;
        for (ReadRouteWorker w : workers) {
            reads.addAll(w.reads);
            reads.addAll(w.readsAfterWrite);
            afterWrite.addAll(w.readsAfterWrite);
            writes.addAll(w.writes);
            onReplica.addAll(w.replicaReads);
            onPrimary.addAll(w.primaryReads);
            stale += w.staleReads;
            errors += w.errors;
        }
        double share = reads.size() == 0 ? Double.NaN : (double) onReplica.size() / reads.size();
        System.out.println(String.format(Locale.ROOT,
                "{\"label\": \"%s\", \"round\": %d, \"clients\": %d, \"split\": %b, \"seconds\": %.1f, \"think_ms\": %d,"
                        + " \"reads\": %d, \"writes\": %d, \"tps\": %.1f,"
                        + " \"read_p50\": %.3f, \"read_p90\": %.3f, \"read_p99\": %.3f, \"read_max\": %.3f,"
                        + " \"replica_read_p50\": %.3f, \"replica_read_p99\": %.3f,"
                        + " \"primary_read_p50\": %.3f, \"primary_read_p99\": %.3f, \"read_after_write_p50\": %.3f,"
                        + " \"read_after_write_p99\": %.3f, \"write_p50\": %.3f, \"write_p99\": %.3f,"
                        + " \"replica_share\": %.4f, \"stale_reads\": %d, \"errors\": %d}",
                label, round, clients, split, seconds, thinkMillis, reads.size(), writes.size(),
                (reads.size() + writes.size()) / seconds,
                reads.percentileMs(50), reads.percentileMs(90), reads.percentileMs(99), reads.percentileMs(100),
                onReplica.percentileMs(50), onReplica.percentileMs(99), onPrimary.percentileMs(50),
                onPrimary.percentileMs(99), afterWrite.percentileMs(50),
                afterWrite.percentileMs(99), writes.percentileMs(50), writes.percentileMs(99),
                share, stale, errors));
    }
}
