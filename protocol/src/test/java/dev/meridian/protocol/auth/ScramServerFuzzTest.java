package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramFuzzing.SERVER_NONCE;
import static dev.meridian.protocol.auth.ScramFuzzing.VERIFIER;
import static dev.meridian.protocol.auth.ScramFuzzing.assertSafe;
import static dev.meridian.protocol.auth.ScramFuzzing.flag;
import static dev.meridian.protocol.auth.ScramFuzzing.message;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer targets: the proxy as SCRAM server, reading what a client sends. Only ScramException
 * may come out; an accepted message re-encodes to itself; only the right proof authenticates.
 */
class ScramServerFuzzTest {

    /** Byte 0: bit 0 = the client is on TLS (so -PLUS is offered), bit 1 = it chose -PLUS. */
    @FuzzTest
    void clientFirstMessage(byte[] data) {
        boolean tls = flag(data, 0);
        boolean plus = flag(data, 1);
        byte[] message = message(data);
        ScramServer server = ScramFuzzing.server(tls ? ScramFuzzing.TLS : ChannelBinding.none());
        byte[] serverFirst;
        try {
            serverFirst = server.serverFirstMessage(plus ? ScramTestSupport.PLUS : ScramTestSupport.PLAIN, message);
        } catch (ScramException e) {
            assertSafe(e);
            return;
        }
        ClientFirstMessage parsed = ClientFirstMessage.parse(message);
        assertThat(parsed.encode()).isEqualTo(message);
        assertThat(parsed.header().flag() == 'p').as("-PLUS iff channel binding data").isEqualTo(plus);
        assertThat(tls && parsed.header().flag() == 'y').as("a downgrade accepted").isFalse();
        assertThat(text(serverFirst)).isEqualTo("r=" + parsed.nonce() + SERVER_NONCE + ",s="
                + ScramCrypto.base64(VERIFIER.salt()) + ",i=" + VERIFIER.iterations());
    }

    /** After the fixed client-first-message, without TLS: the client-final-message. */
    @FuzzTest
    void clientFinalMessage(byte[] data) {
        ScramServer server = ScramFuzzing.server(ChannelBinding.none());
        assertThat(text(server.serverFirstMessage(ScramTestSupport.PLAIN, bytes(ScramFuzzing.CLIENT_FIRST))))
                .isEqualTo(ScramFuzzing.SERVER_FIRST);
        byte[] serverFinal;
        try {
            serverFinal = server.serverFinalMessage(data);
        } catch (ScramException e) {
            assertSafe(e);
            return;
        }
        ClientFinalMessage parsed = ClientFinalMessage.parse(data);
        assertThat(parsed.encode(parsed.proof())).isEqualTo(data);
        assertThat(ScramCrypto.sha256(server.recoveredClientKey())).isEqualTo(VERIFIER.storedKey());
        String authMessage = "n=,r=" + ScramFuzzing.CLIENT_NONCE + "," + ScramFuzzing.SERVER_FIRST + "," + parsed.withoutProof();
        assertThat(text(serverFinal)).isEqualTo("v=" + ScramCrypto.base64(ScramCrypto.hmac(VERIFIER.serverKey(), authMessage)));
    }
}
