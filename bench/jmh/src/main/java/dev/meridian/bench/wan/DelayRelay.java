package dev.meridian.bench.wan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay that puts a long link between its clients and one server: every byte, in each
 * direction, is delivered a fixed one-way delay after it was read (bench only; a stand-in for a
 * far region). Order is kept (one FIFO per direction, every chunk due {@code delay} after it
 * was read, so due times never decrease), a half-close is delayed like data, and both sockets
 * have Nagle off (TCP_NODELAY) so nothing waits for more bytes.
 *
 * <p>The TCP handshake is modelled too. The kernel completes a client's connect to this relay
 * at once, so the first round trip of a real connection would be missing: instead nothing is
 * delivered, either way, before one round trip (2 × delay) after the connection was accepted.
 * A client that connects and writes at once therefore sees its first bytes arrive at
 * 3 × delay, as over a real link where connect returns after one round trip.
 *
 * <pre>
 *   client ──▶ [read ─▶ queue ─▶ (wait until due) ─▶ write] ──▶ server
 *   client ◀── [write ◀─ (wait until due) ◀─ queue ◀─ read] ◀── server
 * </pre>
 *
 * {@code java -cp benchmarks.jar dev.meridian.bench.wan.DelayRelay LISTEN_PORT TARGET_HOST:PORT DELAY_MS [--trace]}
 */
public final class DelayRelay implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] EOF = new byte[0];

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final PrintStream trace;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Starts accepting on 127.0.0.1:{@code port} (0: any free port).
     * @param trace where to log every delivered chunk (direction, size, message types), or null
     */
    public DelayRelay(int port, InetSocketAddress target, long delayMillis, PrintStream trace) throws IOException {
        this.listener = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
        this.target = target;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.trace = trace;
        Thread acceptor = new Thread(this::acceptLoop, "delay-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                long acceptedAt = System.nanoTime();
                start(client, acceptedAt, connections.incrementAndGet());
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("delay relay: accept failed: " + e);
                }
            }
        }
    }

    private void start(Socket client, long acceptedAt, int id) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 5_000);
        } catch (IOException e) {
            System.err.println("delay relay: connection " + id + ": cannot reach " + target + ": " + e);
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        // Nothing moves before the handshake's round trip would have completed.
        long openAt = acceptedAt + 2 * delayNanos;
        AtomicInteger open = new AtomicInteger(2);
        Runnable done = () -> {
            if (open.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(server);
            }
        };
        new Direction("c" + id + ">", client, server, openAt, done).start();
        new Direction("c" + id + "<", server, client, openAt, done).start();
    }

    /** One way: a reader that stamps and queues what it reads, a writer that delivers it when due. */
    private final class Direction {
        private final String name;
        private final Socket from;
        private final Socket to;
        private final long openAt;
        private final Runnable done;
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();

        Direction(String name, Socket from, Socket to, long openAt, Runnable done) {
            this.name = name;
            this.from = from;
            this.to = to;
            this.openAt = openAt;
            this.done = done;
        }

        void start() {
            Thread reader = new Thread(this::read, "delay-relay-" + name + "-read");
            Thread writer = new Thread(this::write, "delay-relay-" + name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read() {
            // (Closing a socket's stream would close the socket: the connection ends when both directions have.)
            try {
                InputStream in = from.getInputStream();
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long now = System.nanoTime();
                    byte[] data = Arrays.copyOf(buf, n);
                    queue.add(new Chunk(data, Math.max(now, openAt) + delayNanos));
                }
            } catch (IOException e) {
                // reset or closed: deliver what was read, then end this direction
            }
            queue.add(new Chunk(EOF, Math.max(System.nanoTime(), openAt) + delayNanos));
        }

        private void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    waitUntil(c.due());
                    if (c.data() == EOF) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(c.data());
                    out.flush();
                    if (trace != null) {
                        trace.printf("%s %d bytes %s at +%.1f ms%n", name, c.data().length, types(c.data()),
                                (System.nanoTime() - openAt + 2 * delayNanos) / 1e6);
                    }
                }
            } catch (SocketException e) {
                // the other side is gone
            } catch (IOException | InterruptedException e) {
                System.err.println("delay relay: " + name + ": " + e);
            } finally {
                done.run();
            }
        }
    }

    private record Chunk(byte[] data, long due) {
    }

    private static void waitUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** The type letters of the messages that start in {@code data} if it begins at a boundary (for tracing only). */
    static String types(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        if (data.length >= 8 && data[0] == 0) {
            sb.append("<startup>");
            i = ((data[0] & 0xFF) << 24) | ((data[1] & 0xFF) << 16) | ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        }
        while (i + 5 <= data.length && i >= 0) {
            sb.append((char) data[i]);
            int len = ((data[i + 1] & 0xFF) << 24) | ((data[i + 2] & 0xFF) << 16) | ((data[i + 3] & 0xFF) << 8)
                    | (data[i + 4] & 0xFF);
            if (len < 4) {
                break;
            }
            i += 1 + len;
        }
        return sb.toString();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DelayRelay LISTEN_PORT TARGET_HOST:PORT DELAY_MS [--trace]");
            System.exit(2);
        }
        int colon = args[1].lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(args[1].substring(0, colon),
                Integer.parseInt(args[1].substring(colon + 1)));
        boolean trace = args.length > 3 && args[3].equals("--trace");
        try (DelayRelay relay = new DelayRelay(Integer.parseInt(args[0]), target, Long.parseLong(args[2]),
                trace ? System.out : null)) {
            System.out.println("delay relay: 127.0.0.1:" + relay.port() + " -> " + target + ", " + args[2]
                    + " ms each way");
            Thread.currentThread().join();
        }
    }
}
