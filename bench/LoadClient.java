import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * bench/load.sh's client: opens CLIENTS pgjdbc connections all at once (one thread each, released
 * together by a latch), and each, once ready for queries, runs {@code SELECT 1} and closes.
 * Prints connected/failed counts, failures by SQLSTATE, time-to-ready percentiles and the peak
 * number of connections open at once (counted from the start of the connect to the close).
 *
 * <pre>java -cp postgresql.jar bench/LoadClient.java URL USER PASSWORD CLIENTS TIMEOUT_SECONDS</pre>
 */
public final class LoadClient {
    private final String url;
    private final Properties props = new Properties();
    private final long[] readyNanos;
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final LongAdder queried = new LongAdder();

    private LoadClient(String url, String user, String password, int clients, int timeoutSeconds) {
        this.url = url;
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("sslmode", "disable");
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        // Not loginTimeout: pgjdbc would start one more thread per connection for it.
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("ApplicationName", "meridian-load");
        readyNanos = new long[clients];
        Arrays.fill(readyNanos, -1);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LoadClient URL USER PASSWORD CLIENTS TIMEOUT_SECONDS");
            System.exit(2);
        }
        LoadClient load = new LoadClient(args[0], args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        load.run();
    }

    private void run() throws InterruptedException {
        int clients = readyNanos.length;
        CountDownLatch parked = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            int id = i;
            // Small stacks: thousands of threads that only block on sockets.
            new Thread(null, () -> {
                parked.countDown();
                try {
                    go.await();
                    session(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "client-" + i, 256 * 1024).start();
        }
        parked.await();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        report((System.nanoTime() - start) / 1e9);
    }

    private void session(int id) {
        long start = System.nanoTime();
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        try (Connection c = DriverManager.getConnection(url, props)) {
            readyNanos[id] = System.nanoTime() - start;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                queried.increment();
            }
        } catch (SQLException e) {
            String reason = (e.getSQLState() == null ? "-----" : e.getSQLState()) + " " + firstLine(e.getMessage());
            failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        } finally {
            open.decrementAndGet();
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.lines().findFirst().orElse("");
        return m.length() > 100 ? m.substring(0, 100) + "..." : m;
    }

    private void report(double wallSeconds) {
        long[] ready = Arrays.stream(readyNanos).filter(n -> n >= 0).sorted().toArray();
        int clients = readyNanos.length;
        System.out.printf("clients             %d%n", clients);
        System.out.printf("connected           %d%n", ready.length);
        System.out.printf("queried and closed  %d%n", queried.sum());
        System.out.printf("failed              %d%n", clients - queried.sum());
        new TreeMap<>(failures).forEach((reason, n) -> System.out.printf("  %6d  %s%n", n.sum(), reason));
        System.out.printf("peak open at once   %d%n", peakOpen.get());
        if (ready.length > 0) {
            System.out.printf("time to ready       p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    ms(ready, 0.50), ms(ready, 0.90), ms(ready, 0.99), ready[ready.length - 1] / 1e6);
        }
        System.out.printf("wall time           %.1f s%n", wallSeconds);
    }

    /** Nearest-rank percentile of sorted nanos, in milliseconds. */
    private static double ms(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
