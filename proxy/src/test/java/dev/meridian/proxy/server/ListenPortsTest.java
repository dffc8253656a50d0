package dev.meridian.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenPortsTest {

    @Test
    void aBusyPortIsOneLineNamingTheSettingTheAddressAndWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> ListenPorts.ensureFree("admin.port", "127.0.0.1", port))
                    .isInstanceOf(StartupFailure.class)
                    .hasMessage("admin.port: 127.0.0.1:" + port + " is already in use (another Meridian, PostgreSQL"
                            + " or other server listens there): stop it, or set admin.port to a free port")
                    .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        }
    }

    @Test
    void aFreePortPasses() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ListenPorts.ensureFree("listen.port", "127.0.0.1", port);
    }

    @Test
    void otherBindFailuresSayWhatTheSystemSaid() {
        StartupFailure f = ListenPorts.failure("listen.port", "192.0.2.1", 5432,
                new java.net.BindException("Cannot assign requested address"));
        assertThat(f).hasMessageStartingWith("listen.port: cannot listen on 192.0.2.1:5432: Cannot assign requested address");
    }

    /**
     * The probe must never listen: a client connecting in that instant would be accepted by the
     * probe and then reset (the refusal window at start). A client hammers the port while the
     * probe runs 2,000 times; not one connection may be established.
     */
    @Test
    void theProbeNeverAcceptsAConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AtomicBoolean probing = new AtomicBoolean(true);
        AtomicInteger connected = new AtomicInteger();
        Thread client = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (probing.get() && System.nanoTime() < deadline) {
                try (Socket c = new Socket()) {
                    c.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    connected.incrementAndGet();
                } catch (IOException refused) {
                    // expected: nobody listens
                }
            }
        });
        client.start();
        try {
            for (int i = 0; i < 2000; i++) {
                ListenPorts.ensureFree("listen.port", "127.0.0.1", port);
            }
        } finally {
            probing.set(false);
            client.join();
        }
        assertThat(connected.get()).as("connections the probe accepted").isZero();
    }
}
