package dev.meridian.bench.wan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WAN bench's delay relay: bytes arrive unchanged and in order, never before their delay, and
 * a half-close travels like data. (Only lower bounds on time: a slow machine may add delay, it
 * can never remove any.)
 */
class DelayRelayTest {
    private static final long DELAY_MS = 25;

    private ServerSocket echo;
    private DelayRelay relay;

    /** An echo server: writes back everything it reads, then half-closes when the client does. */
    @BeforeEach
    void startEchoAndRelay() throws IOException {
        echo = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = echo.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                s.shutdownOutput();
            } catch (IOException e) {
                // test over
            }
        });
        t.setDaemon(true);
        t.start();
        relay = new DelayRelay(0, new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()),
                DELAY_MS, null);
    }

    @AfterEach
    void stop() throws IOException {
        relay.close();
        echo.close();
    }

    @Test
    void aMegabyteComesBackUnchangedAndInOrder() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readAll(s));
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < data.length; i += 1000) {
                out.write(data, i, Math.min(1000, data.length - i));
            }
            s.shutdownOutput();
            assertThat(back.get(30, TimeUnit.SECONDS)).isEqualTo(data);
        }
    }

    /** First bytes back: the handshake's round trip, then one round trip for the data. */
    @Test
    void theFirstAnswerTakesTwoRoundTripsFromConnectAndLaterOnesOne() throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write('a');
            assertThat(in.read()).isEqualTo('a');
            long first = System.nanoTime() - start;
            long second = System.nanoTime();
            out.write('b');
            assertThat(in.read()).isEqualTo('b');
            long later = System.nanoTime() - second;
            assertThat(TimeUnit.NANOSECONDS.toMillis(first)).isGreaterThanOrEqualTo(4 * DELAY_MS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(later)).isGreaterThanOrEqualTo(2 * DELAY_MS);
        }
    }

    @Test
    void aHalfCloseReachesTheServerAndItsCloseComesBack() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            s.shutdownOutput();
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(2 * DELAY_MS);
        }
    }

    @Test
    void traceNamesTheMessagesAChunkStartsWith() {
        byte[] startup = {0, 0, 0, 8, 0, 3, 0, 0};
        byte[] parseSync = {'P', 0, 0, 0, 4, 'S', 0, 0, 0, 4};
        assertThat(DelayRelay.types(startup)).isEqualTo("<startup>");
        assertThat(DelayRelay.types(parseSync)).isEqualTo("PS");
    }

    private static byte[] readAll(Socket s) {
        try {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            return all.toByteArray();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
