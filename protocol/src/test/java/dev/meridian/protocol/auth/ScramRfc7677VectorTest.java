package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.PLAIN;
import static dev.meridian.protocol.auth.ScramTestSupport.b64;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The SCRAM-SHA-256 example exchange of RFC 7677 section 3, from both ends. */
class ScramRfc7677VectorTest {

    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String CLIENT_FIRST = "n,,n=user,r=" + CLIENT_NONCE;
    private static final String SERVER_FIRST =
            "r=" + CLIENT_NONCE + SERVER_NONCE + ",s=" + SALT + ",i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=" + CLIENT_NONCE + SERVER_NONCE
            + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramClient rfcClient() {
        return ScramClient.withPassword("pencil").identityForTest("user", CLIENT_NONCE);
    }

    private static ScramServer rfcServer() {
        ScramVerifier verifier = ScramVerifier.fromPassword("pencil", b64(SALT), 4096);
        return new ScramServer(verifier, ChannelBinding.none(), SERVER_NONCE);
    }

    @Test
    void clientFirstMessageMatchesRfc() {
        assertThat(text(rfcClient().clientFirstMessage())).isEqualTo(CLIENT_FIRST);
    }

    @Test
    void clientProofMatchesRfc() {
        ScramClient client = rfcClient();
        client.clientFirstMessage();

        assertThat(text(client.clientFinalMessage(bytes(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
    }

    @Test
    void clientAcceptsRfcServerSignature() {
        ScramClient client = rfcClient();
        client.clientFirstMessage();
        client.clientFinalMessage(bytes(SERVER_FIRST));

        assertThatCode(() -> client.verifyServerFinal(bytes(SERVER_FINAL))).doesNotThrowAnyException();
    }

    @Test
    void serverFirstMessageMatchesRfc() {
        byte[] serverFirst = rfcServer().serverFirstMessage(PLAIN, bytes(CLIENT_FIRST));

        assertThat(text(serverFirst)).isEqualTo(SERVER_FIRST);
    }

    @Test
    void serverAcceptsRfcProofAndSignsLikeRfc() {
        ScramServer server = rfcServer();
        server.serverFirstMessage(PLAIN, bytes(CLIENT_FIRST));

        assertThat(text(server.serverFinalMessage(bytes(CLIENT_FINAL)))).isEqualTo(SERVER_FINAL);
    }
}
