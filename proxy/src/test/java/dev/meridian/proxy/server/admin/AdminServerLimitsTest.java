package dev.meridian.proxy.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.server.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin HTTP server's limits on real loopback sockets, with small limits to keep it quick. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminServerLimitsTest {
    private static final AdminLimits SMALL = new AdminLimits(3, 4, Duration.ofMillis(500), 256, 1024, 1024);

    private final Transport transport = Transport.best();
    private final EventLoopGroup group = transport.newGroup(1, "admin-test");
    private final AdminServer server = new AdminServer(transport, group, SMALL)
            .route("/health", req -> AdminResponse.text(200, "ok\n"));
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5_000);
        sockets.add(s);
        return s;
    }

    private static String send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return readAll(s.getInputStream());
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void beyondTheConnectionCapA503WithASqlStateThenClose() throws Exception {
        server.start("127.0.0.1", 0);
        for (int i = 0; i < 3; i++) {
            connect();
        }
        String answer = readAll(connect().getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 503 ").contains("\"code\":\"53300\"").contains("Connection: close");
    }

    @Test
    void aHalfSentRequestIsClosedAfterTheRequestTimeoutAndFreesItsSlot() throws Exception {
        server.start("127.0.0.1", 0);
        for (int i = 0; i < 3; i++) {
            connect().getOutputStream().write("GET /health HTTP/1.1\r\nHost: x".getBytes(StandardCharsets.US_ASCII));
        }
        for (Socket s : List.copyOf(sockets)) {
            assertThat(s.getInputStream().read()).as("closed by the server, no answer").isEqualTo(-1);
        }
        Thread.sleep(100); // the close listeners run on the event loop
        assertThat(send(connect(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void anOversizedRequestLineIsRefusedAndClosed() throws Exception {
        server.start("127.0.0.1", 0);
        String answer = send(connect(), "GET /health?" + "x".repeat(1000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void pipelinedRequestsWithinTheLimitAreAllAnsweredInOrder() throws Exception {
        server.start("127.0.0.1", 0);
        String one = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
        String answer = send(connect(), one.repeat(3) + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answer.split("HTTP/1.1 200 ", -1)).hasSize(5);
    }

    @Test
    void aFloodOfPipelinedRequestsClosesThatConnectionOnly() throws Exception {
        server.start("127.0.0.1", 0);
        Socket flood = connect();
        flood.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII));
        StringBuilder answered = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = flood.getInputStream().read(buf)) >= 0; ) {
                answered.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        } catch (java.net.SocketException reset) {
            // closed with our unread requests in its buffer: a reset, as good as a close
        }
        assertThat(answered.toString().split("HTTP/1.1 200 ", -1).length - 1).isLessThanOrEqualTo(SMALL.maxPipelined());
        assertThat(send(connect(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    }
}
