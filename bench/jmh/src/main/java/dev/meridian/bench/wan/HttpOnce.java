package dev.meridian.bench.wan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A brand-new HTTP client's one-shot query to Meridian's {@code POST /sql} (Neon's serverless
 * driver protocol): a new TCP connection, one request with {@code Connection: close}, the whole
 * answer read. Plain sockets rather than an HTTP library, so nothing is pooled or kept alive and
 * the bytes on the wire are exactly one request and one response.
 */
final class HttpOnce {
    private final String host;
    private final int port;
    private final byte[] request;

    /** {@code url} is {@code http://host:port/database}; the connection string names user and password. */
    HttpOnce(String url, String user, String password) {
        URI uri = URI.create(url);
        this.host = uri.getHost();
        this.port = uri.getPort();
        String database = uri.getPath().substring(1);
        String body = "{\"query\":\"SELECT 1\",\"params\":[]}";
        String head = "POST /sql HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Connection: close\r\n"
                + "Content-Type: application/json\r\n"
                + "Neon-Connection-String: postgres://" + user + ":" + (password == null ? "" : password)
                + "@" + host + "/" + database + "\r\n"
                + "Neon-Raw-Text-Output: true\r\n"
                + "Neon-Array-Mode: true\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n";
        this.request = (head + body).getBytes(StandardCharsets.UTF_8);
    }

    /** ns from the start of connect to connected (index 0) and to the end of the answer (index 1). */
    long[] run() throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 30_000);
            long connected = System.nanoTime() - start;
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            String answer = readAll(s.getInputStream());
            if (!answer.startsWith("HTTP/1.1 200") || !answer.contains("\"rows\":[[\"1\"]]")) {
                throw new IOException("POST /sql did not answer [[\"1\"]]: " + answer);
            }
            return new long[] {connected, System.nanoTime() - start};
        }
    }

    /** Until the server closes (Connection: close) or the Content-Length is complete. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            got.write(buf, 0, n);
            String text = got.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            int cl = text.toLowerCase().indexOf("content-length:");
            if (end > 0 && cl > 0 && cl < end) {
                int eol = text.indexOf("\r\n", cl);
                int length = Integer.parseInt(text.substring(cl + 15, eol).trim());
                if (got.size() >= end + 4 + length) {
                    return text;
                }
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
