package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramFuzzing.CLIENT_NONCE;
import static dev.meridian.protocol.auth.ScramFuzzing.SERVER_NONCE;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.protocol.auth.ScramException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client-final-message must carry exactly the nonce of this exchange: the client's part and
 * the server's. One that drops or swaps the server's part (a replay from another exchange) is
 * refused as a nonce mismatch even with an otherwise valid proof, before the proof is checked.
 * (A nonce with extra characters, and the client side's checks, are in the message tests.)
 */
class ScramWrongNonceTest {
    private static final String VALID_PROOF = validProof();

    @ParameterizedTest(name = "r={0}")
    @ValueSource(strings = {
        CLIENT_NONCE,                                             // only the client's part
        CLIENT_NONCE + "3rfcNHYJY1ZVvWVs7J",                      // server part, one letter changed
        CLIENT_NONCE + "3rfcNHYJY1ZVvWVs7",                       // server part, one letter short
        "fyko+d2lbbFgONRv9qkxdawM" + SERVER_NONCE,                // client part changed
        SERVER_NONCE + CLIENT_NONCE,                              // parts swapped
    })
    void clientFinalWithAnotherNonceIsRefused(String nonce) {
        ScramServer server = ScramFuzzing.server(ChannelBinding.none());
        server.serverFirstMessage(ScramTestSupport.PLAIN, bytes(ScramFuzzing.CLIENT_FIRST));

        ScramException e = catchThrowableOfType(ScramException.class,
                () -> server.serverFinalMessage(bytes("c=biws,r=" + nonce + ",p=" + VALID_PROOF)));

        assertThat(e.reason()).isEqualTo(Reason.NONCE_MISMATCH);
    }

    /** The proof a real client computes for the fixed exchange, so only the nonce is wrong. */
    private static String validProof() {
        ScramClient client = ScramFuzzing.client(false);
        client.clientFirstMessage();
        String clientFinal = ScramTestSupport.text(client.clientFinalMessage(bytes(ScramFuzzing.SERVER_FIRST)));
        return clientFinal.substring(clientFinal.indexOf(",p=") + 3);
    }
}
