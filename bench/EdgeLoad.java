import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pgbench -S over HTTP: N keep-alive clients (one thread and one TCP connection each) send
 * Meridian's POST /sql {@code SELECT abalance FROM pgbench_accounts WHERE aid = $1} with a random
 * aid, back to back, for a fixed time; prints requests/s, p50/p99 ms and errors. Plain sockets,
 * HTTP/1.1 keep-alive, one request in flight per connection (like pgbench's clients).
 *
 *   java bench/EdgeLoad.java HOST PORT DATABASE USER PASSWORD CLIENTS SECONDS SCALE
 */
public final class EdgeLoad {
    static final AtomicLong errors = new AtomicLong();

    public static void main(String[] a) throws Exception {
        String host = a[0], database = a[2], user = a[3], password = a[4];
        int port = Integer.parseInt(a[1]), clients = Integer.parseInt(a[5]), scale = Integer.parseInt(a[7]);
        long seconds = Long.parseLong(a[6]);
        String head = "POST /sql HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
                + "Neon-Connection-String: postgres://" + user + ":" + password + "@" + host + "/" + database + "\r\n"
                + "Neon-Raw-Text-Output: true\r\nNeon-Array-Mode: true\r\n";
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long[] mine = new long[1 << 20];
            latencies.add(mine);
            Thread t = new Thread(() -> client(host, port, head, scale, end, mine));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] l : latencies) {
            for (int i = 1; i <= l[0]; i++) {
                all.add(l[i]);
            }
        }
        all.sort(null);
        System.out.printf("requests/s %.0f  p50 %.2f ms  p99 %.2f ms  requests %d  errors %d%n",
                all.size() / (double) seconds, pct(all, 50), pct(all, 99), all.size(), errors.get());
        if (errors.get() > 0 || all.isEmpty()) {
            System.exit(1);
        }
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /** mine[0] counts, mine[1..] latencies in ns. */
    static void client(String host, int port, String head, int scale, long end, long[] mine) {
        try (Socket s = new Socket(host, port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (System.nanoTime() < end) {
                int aid = ThreadLocalRandom.current().nextInt(1, 100_000 * scale + 1);
                String body = "{\"query\":\"SELECT abalance FROM pgbench_accounts WHERE aid = $1\",\"params\":[\"" + aid + "\"]}";
                byte[] req = (head + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
                long start = System.nanoTime();
                out.write(req);
                out.flush();
                if (!readAnswer(in)) {
                    errors.incrementAndGet();
                }
                long n = ++mine[0];
                if (n < mine.length) {
                    mine[(int) n] = System.nanoTime() - start;
                } else {
                    mine[0]--;
                }
            }
        } catch (IOException e) {
            errors.incrementAndGet();
            System.err.println("client failed: " + e);
        }
    }

    /** One response: true for a 200 with one row. */
    static boolean readAnswer(InputStream in) throws IOException {
        String status = line(in);
        int length = -1;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length after " + status);
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        boolean ok = status.startsWith("HTTP/1.1 200") && body.contains("\"rowCount\":1");
        if (!ok && errors.get() < 3) {
            System.err.println(status + " " + body);
        }
        return ok;
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
