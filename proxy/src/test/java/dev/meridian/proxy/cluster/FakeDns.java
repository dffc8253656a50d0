package dev.meridian.proxy.cluster;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny DNS server on 127.0.0.1 (UDP) that answers TXT queries from a table and NXDOMAIN for any
 * other name (RFC 1035 §4): enough to run the JDK's DNS provider against Fly-shaped records.
 */
final class FakeDns implements AutoCloseable {
    private final DatagramSocket socket;
    /** Name (lower case, no trailing dot) → TXT records, each a list of character-strings. */
    private final Map<String, List<List<String>>> txt = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();

    FakeDns() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "fake-dns");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "dns://127.0.0.1:" + socket.getLocalPort();
    }

    void txt(String name, List<List<String>> records) {
        txt.put(name, records);
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket query = new DatagramPacket(buf, buf.length);
                socket.receive(query);
                queries.incrementAndGet();
                byte[] answer = answer(buf, query.getLength());
                socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
            } catch (Exception e) {
                return; // closed
            }
        }
    }

    private byte[] answer(byte[] q, int length) {
        int end = 12;
        StringBuilder name = new StringBuilder();
        while (q[end] != 0) {
            int len = q[end];
            name.append(name.length() == 0 ? "" : ".").append(new String(q, end + 1, len, StandardCharsets.US_ASCII));
            end += len + 1;
        }
        end += 5; // the root label, QTYPE and QCLASS
        List<List<String>> records = txt.get(name.toString().toLowerCase());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q, 0, 2); // ID
        out.write(0x81); // QR, RD
        out.write(records == null ? 0x83 : 0x80); // RA, RCODE 3 = NXDOMAIN
        short16(out, 1);
        short16(out, records == null ? 0 : records.size());
        short16(out, 0);
        short16(out, 0);
        out.write(q, 12, end - 12);
        if (records != null) {
            for (List<String> strings : records) {
                ByteArrayOutputStream rdata = new ByteArrayOutputStream();
                strings.forEach(s -> {
                    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
                    rdata.write(b.length);
                    rdata.writeBytes(b);
                });
                short16(out, 0xc00c); // the name, by pointer to the question
                short16(out, 16); // TXT
                short16(out, 1); // IN
                short16(out, 0);
                short16(out, 5); // TTL 5 s
                short16(out, rdata.size());
                out.writeBytes(rdata.toByteArray());
            }
        }
        return out.toByteArray();
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    @Override
    public void close() {
        socket.close();
    }
}
