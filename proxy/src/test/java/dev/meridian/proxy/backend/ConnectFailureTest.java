package dev.meridian.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.StartupMessage;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import dev.meridian.proxy.config.BackendTlsMode;
import dev.meridian.proxy.server.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connect failures read as an operator would say them, whatever the transport's wording. */
class ConnectFailureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Transport TRANSPORT = Transport.best();
    private static EventLoopGroup loops;

    @BeforeAll
    static void start() {
        loops = TRANSPORT.newGroup(1, "connect-failure-test");
    }

    @AfterAll
    static void stop() throws Exception {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void nativeAndJdkWordingsOfARefusalReadTheSame() {
        assertThat(ConnectFailure.describe(new ConnectException("finishConnect(..) failed with error(-111)"), "h"))
                .isEqualTo("connection refused");
        assertThat(ConnectFailure.describe(new ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:1"), "h"))
                .isEqualTo("connection refused");
        assertThat(ConnectFailure.describe(new ConnectException("Connection refused"), "h")).isEqualTo("connection refused");
        assertThat(ConnectFailure.describe(new ConnectException("connect(..) failed with error(-113)"), "h"))
                .isEqualTo("no route to host");
        assertThat(ConnectFailure.describe(new ConnectException("something new"), "h")).isEqualTo("something new");
    }

    @Test
    void anUnresolvedNameSaysSo() {
        assertThat(ConnectFailure.describe(new UnknownHostException("db.example: Name or service not known"), "db.example"))
                .isEqualTo("host name \"db.example\" did not resolve (DNS lookup failed)");
    }

    @Test
    void aRealRefusedConnectSaysConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(connectFailure("127.0.0.1", closedPort))
                .isEqualTo("could not connect to backend b (127.0.0.1:" + closedPort + "): connection refused");
    }

    @Test
    void aRealNameThatDoesNotResolveSaysSo() throws Exception {
        // .invalid never resolves (RFC 6761), with or without a network.
        assertThat(connectFailure("no-such-backend.invalid", 5432))
                .isEqualTo("could not connect to backend b (no-such-backend.invalid:5432): host name"
                        + " \"no-such-backend.invalid\" did not resolve (DNS lookup failed)");
    }

    private static String connectFailure(String host, int port) throws Exception {
        BackendConnector connector = new BackendConnector(TRANSPORT, 1 << 20, TIMEOUT, TIMEOUT);
        BackendConfig backend = new BackendConfig("b", "iad", host, port, BackendRole.AUTO, "u", "p",
                new BackendTls(BackendTlsMode.DISABLE, null));
        var startup = new StartupMessage(StartupMessage.PROTOCOL_3_0, Map.of("user", "u", "database", "d"));
        try {
            connector.connect(loops.next(), backend, startup, BackendCredentials.password("u", "p")).get(20, TimeUnit.SECONDS);
            throw new AssertionError("connected to " + host + ":" + port);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(BackendException.class);
            return e.getCause().getMessage();
        }
    }
}
