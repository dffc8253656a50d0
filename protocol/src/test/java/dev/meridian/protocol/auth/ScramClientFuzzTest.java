package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramFuzzing.CLIENT_NONCE;
import static dev.meridian.protocol.auth.ScramFuzzing.assertSafe;
import static dev.meridian.protocol.auth.ScramFuzzing.flag;
import static dev.meridian.protocol.auth.ScramFuzzing.message;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer targets: the proxy as SCRAM client of a backend, reading what a (possibly hostile)
 * server sends. Only ScramException may come out, before any key derivation above the
 * iteration cap; an accepted message re-encodes to itself; only the right signature verifies.
 */
class ScramClientFuzzTest {

    /** Byte 0: bit 0 = the client binds to a TLS channel. The rest is the server-first-message. */
    @FuzzTest
    void serverFirstMessage(byte[] data) {
        boolean tls = flag(data, 0);
        byte[] message = message(data);
        ScramClient client = ScramFuzzing.client(tls);
        client.clientFirstMessage();
        byte[] clientFinal;
        try {
            clientFinal = client.clientFinalMessage(message);
        } catch (ScramException e) {
            assertSafe(e);
            assertThatThrownBy(() -> client.verifyServerFinal(bytes("v=x"))).isInstanceOf(ScramException.class);
            return;
        }
        ServerFirstMessage parsed = ServerFirstMessage.parse(message, ScramTestSupport.FAST_ITERATIONS);
        assertThat(parsed.encode()).isEqualTo(message);
        assertThat(parsed.nonce()).startsWith(CLIENT_NONCE).isNotEqualTo(CLIENT_NONCE);
        ClientFinalMessage sent = ClientFinalMessage.parse(clientFinal);
        assertThat(sent.nonce()).isEqualTo(parsed.nonce());
        Gs2Header header = tls ? Gs2Header.TLS_SERVER_END_POINT : Gs2Header.NO_BINDING;
        byte[] binding = tls ? ScramTestSupport.CERT_HASH : new byte[0];
        assertThat(sent.channelBinding()).isEqualTo(ClientFinalMessage.channelBindingValue(header, binding));
    }

    /** After the fixed server-first-message, without TLS: the server-final-message. */
    @FuzzTest
    void serverFinalMessage(byte[] data) {
        ScramClient client = ScramFuzzing.client(false);
        client.clientFirstMessage();
        byte[] clientFinal = client.clientFinalMessage(bytes(ScramFuzzing.SERVER_FIRST));
        try {
            client.verifyServerFinal(data);
        } catch (ScramException e) {
            assertSafe(e);
            return;
        }
        ScramServer server = ScramFuzzing.server(ChannelBinding.none());
        server.serverFirstMessage(ScramTestSupport.PLAIN, bytes(ScramFuzzing.CLIENT_FIRST));
        assertThat(text(data)).isEqualTo(text(server.serverFinalMessage(clientFinal)));
    }
}
