package dev.meridian.proxy.demo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The demo's port checks, which run before anything starts. */
class DemoPortsTest {

    @Test
    void refusesTheSamePortTwice() {
        assertThatThrownBy(() -> new DemoPorts(7000, 7000)).isInstanceOf(DemoException.class)
                .hasMessageContaining("--port and --admin-port must differ");
    }

    @Test
    void namesTheOptionThatPicksAnotherPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int busy = taken.getLocalPort();
            int free = busy == 65535 ? busy - 1 : busy + 1;

            assertThatThrownBy(() -> new DemoPorts(free, busy).requireFree())
                    .hasMessageContaining("127.0.0.1:" + busy + " is already in use")
                    .hasMessageContaining("--admin-port=PORT");
        }
    }
}
