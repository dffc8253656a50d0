package dev.meridian.bench.wan;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a brand-new client connection costs, as an application feels it: from the start
 * of pgjdbc's connect (TCP connect included) to the first row of {@code SELECT 1}, for each
 * target in turn (interleaved, the order rotated every round, so no target always goes first).
 *
 * <p>pgjdbc is set up so its connect is the protocol's minimum: {@code sslmode=disable} (no
 * SSLRequest round trip), {@code assumeMinServerVersion=15} (extra_float_digits and
 * application_name ride in the startup packet instead of a SET after login), and the query is one
 * extended-protocol batch (Parse/Bind/Describe/Execute/Sync, one round trip).
 *
 * <pre>
 * java -cp benchmarks.jar dev.meridian.bench.wan.WanClient --delay-ms 40 --connections 30 \
 *     --user wan --password secret --target direct=127.0.0.1:7001/wan --target meridian=127.0.0.1:7002/wan
 * </pre>
 * Each {@code --target} is {@code name=host:port/database[,password]}; a target whose name starts
 * with {@code meridian} gets its pool warmed first: {@code --warm-connections} sessions at once
 * (so that every event loop holds idle connections; Meridian pools per loop). A target
 * {@code name=http://host:port/database} is Meridian's edge listener: each sample is a brand-new
 * HTTP client's {@code POST /sql} of {@code SELECT 1} ({@link HttpOnce}); put a pgjdbc target on the
 * same Meridian first so its pool is warm.
 */
public final class WanClient {
    /** {@code http} set: a one-shot {@code POST /sql} instead of a pgjdbc connection. */
    private record Target(String name, String url, String password, HttpOnce http) {
    }

    private final List<Target> targets = new ArrayList<>();
    private String user = "wan";
    private String password;
    private long delayMs = 40;
    private int connections = 30;
    private int warmup = 5;
    private int warmConnections = 8;
    private long pauseMs = -1;

    public static void main(String[] args) throws Exception {
        WanClient c = new WanClient();
        c.parse(args);
        c.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--target" -> {
                    String[] nameRest = v.split("=", 2);
                    String[] urlPassword = nameRest[1].split(",", 2);
                    String pw = urlPassword.length > 1 ? urlPassword[1] : null;
                    targets.add(urlPassword[0].startsWith("http://")
                            ? new Target(nameRest[0], urlPassword[0], pw, null)
                            : new Target(nameRest[0], "jdbc:postgresql://" + urlPassword[0], pw, null));
                }
                case "--user" -> user = v;
                case "--password" -> password = v;
                case "--delay-ms" -> delayMs = Long.parseLong(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--warm-connections" -> warmConnections = Integer.parseInt(v);
                case "--pause-ms" -> pauseMs = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no --target");
        }
        targets.replaceAll(t -> t.url().startsWith("http://")
                ? new Target(t.name(), t.url(), t.password(),
                        new HttpOnce(t.url(), user, t.password() != null ? t.password() : password))
                : t);
        if (pauseMs < 0) {
            pauseMs = 2 * delayMs;
        }
    }

    private Properties props(Target t) {
        Properties p = new Properties();
        p.setProperty("user", user);
        String pw = t.password() != null ? t.password() : password;
        if (pw != null) {
            p.setProperty("password", pw);
        }
        p.setProperty("sslmode", "disable");
        p.setProperty("assumeMinServerVersion", "15");
        p.setProperty("connectTimeout", "30");
        p.setProperty("tcpKeepAlive", "false");
        return p;
    }

    /** One new connection: ns from the start of connect to connected, and to the first row. */
    private record Sample(long connected, long firstRow) {
    }

    /** Connect, run SELECT 1, read the row. */
    private Sample once(Target t) throws Exception {
        if (t.http() != null) {
            long[] r = t.http().run();
            return new Sample(r[0], r[1]);
        }
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(t.url(), props(t))) {
            long connected = System.nanoTime() - start;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLException("SELECT 1 did not answer 1 through " + t.name());
                }
                return new Sample(connected, System.nanoTime() - start);
            }
        }
    }

    private void run() throws Exception {
        for (Target t : targets) {
            if (t.name().startsWith("meridian") && t.http() == null) {
                warmPool(t);
            }
        }
        // JIT, class loading, pgjdbc's first-use work: not measured.
        for (int i = 0; i < warmup; i++) {
            for (Target t : targets) {
                once(t);
                pause();
            }
        }
        Map<Target, List<Sample>> samples = new LinkedHashMap<>();
        targets.forEach(t -> samples.put(t, new ArrayList<>()));
        for (int round = 0; round < connections; round++) {
            for (int k = 0; k < targets.size(); k++) {
                Target t = targets.get((round + k) % targets.size());
                samples.get(t).add(once(t));
                pause();
            }
        }
        report(samples);
    }

    /** Several sessions at once, so the pool (per event loop) holds idle connections everywhere. */
    private void warmPool(Target t) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(warmConnections);
        try {
            List<Future<Connection>> opened = new ArrayList<>();
            for (int i = 0; i < warmConnections; i++) {
                opened.add(pool.submit(() -> {
                    Connection c = DriverManager.getConnection(t.url(), props(t));
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    return c;
                }));
            }
            for (Future<Connection> f : opened) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdown();
        }
        // Each returned connection is reset (DISCARD ALL: one delayed round trip) before it is idle.
        Thread.sleep(4 * delayMs + 200);
    }

    /** Between connections: lets each Meridian session's reset finish, as between real clients. */
    private void pause() throws InterruptedException {
        Thread.sleep(pauseMs);
    }

    /**
     * Connect to first row: median, p90 and min in ms and in round trips (RTT = 2 x delay), and
     * the median of the connect part alone (pgjdbc's getConnection: TCP, startup, authentication).
     */
    private void report(Map<Target, List<Sample>> samples) {
        double rtt = 2.0 * delayMs;
        System.out.printf("one-way delay %d ms (RTT %.0f ms), %d new connections per target, interleaved%n",
                delayMs, rtt, connections);
        System.out.printf("%-16s %10s %8s %8s %11s %8s %13s%n", "target", "median ms", "p90 ms", "min ms",
                "median RTT", "p90 RTT", "connect ms");
        for (var e : samples.entrySet()) {
            List<Long> total = sorted(e.getValue().stream().map(Sample::firstRow).toList());
            List<Long> connect = sorted(e.getValue().stream().map(Sample::connected).toList());
            double median = percentile(total, 50) / 1e6;
            double p90 = percentile(total, 90) / 1e6;
            System.out.printf("%-16s %10.1f %8.1f %8.1f %11s %8s %13.1f%n", e.getKey().name(), median, p90,
                    total.get(0) / 1e6, rtts(median, rtt), rtts(p90, rtt), percentile(connect, 50) / 1e6);
        }
        System.out.println("slowest three per target (connect + query ms):");
        for (var e : samples.entrySet()) {
            List<Sample> slow = new ArrayList<>(e.getValue());
            slow.sort((a, b) -> Long.compare(b.firstRow(), a.firstRow()));
            StringBuilder line = new StringBuilder(String.format("  %-16s", e.getKey().name()));
            for (Sample x : slow.subList(0, Math.min(3, slow.size()))) {
                line.append(String.format(" %.1f+%.1f", x.connected() / 1e6, (x.firstRow() - x.connected()) / 1e6));
            }
            System.out.println(line);
        }
    }

    private static String rtts(double ms, double rtt) {
        return rtt == 0 ? "-" : String.format("%.2f", ms / rtt);
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }

    /** Nearest-rank percentile of sorted samples. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
