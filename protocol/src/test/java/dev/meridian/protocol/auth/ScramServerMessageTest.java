package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.PLAIN;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.protocol.auth.ScramException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's strict parsing of client-first and client-final messages. */
class ScramServerMessageTest {

    /** base64 of 32 zero bytes; a literal so annotations can use it. */
    private static final String PROOF = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static ScramServer server() {
        return new ScramServer(ScramTestSupport.verifier("pw"), ChannelBinding.none());
    }

    private static Reason firstFailure(String clientFirst) {
        return catchThrowableOfType(ScramException.class,
                () -> server().serverFirstMessage(PLAIN, bytes(clientFirst))).reason();
    }

    /** Sends a good client-first, then {@code clientFinal} with {@code NONCE} replaced. */
    private static Reason finalFailure(String clientFinal) {
        ScramServer server = server();
        String nonce = text(server.serverFirstMessage(PLAIN, bytes("n,,n=,r=abc"))).split(",")[0].substring(2);
        return catchThrowableOfType(ScramException.class,
                () -> server.serverFinalMessage(bytes(clientFinal.replace("NONCE", nonce)))).reason();
    }

    @Test
    void authzidIsUnsupported() {
        assertThat(firstFailure("n,a=admin,n=,r=abc")).isEqualTo(Reason.UNSUPPORTED_FEATURE);
    }

    @Test
    void mandatoryExtensionIsUnsupported() {
        assertThat(firstFailure("n,,m=ext,n=,r=abc")).isEqualTo(Reason.UNSUPPORTED_FEATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "n", "n,", "n,,", "x,,n=,r=abc", "p,,n=,r=abc", "n,junk,n=,r=abc", "n,,r=abc",
        "n,,n=,", "n,,n=,r=", "n,,n=,r=a\u00e9", "n,,n=,r=a b", "n,,n=,r=abc,x=ext", "n,,n=", "n,,n=,r=abc,"
    })
    void malformedClientFirstIsRejected(String clientFirst) {
        assertThat(firstFailure(clientFirst)).isEqualTo(Reason.MALFORMED_MESSAGE);
    }

    @Test
    void clientFirstWithNulIsRejected() {
        assertThat(firstFailure("n,,n=\0,r=abc")).isEqualTo(Reason.MALFORMED_MESSAGE);
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] message = {'n', ',', ',', 'n', '=', (byte) 0xC3, ',', 'r', '=', 'a'};

        assertThat(catchThrowableOfType(ScramException.class,
                () -> server().serverFirstMessage(PLAIN, message)).reason())
                .isEqualTo(Reason.MALFORMED_MESSAGE);
    }

    @Test
    void oversizedMessageIsRejected() {
        assertThat(firstFailure("n,,n=" + "u".repeat(ScramText.MAX_MESSAGE_BYTES) + ",r=abc"))
                .isEqualTo(Reason.MALFORMED_MESSAGE);
    }

    @Test
    void unknownMechanismIsRejected() {
        assertThat(catchThrowableOfType(ScramException.class,
                () -> server().serverFirstMessage("SCRAM-SHA-1", bytes("n,,n=,r=abc"))).reason())
                .isEqualTo(Reason.UNSUPPORTED_MECHANISM);
    }

    @Test
    void userNameIsIgnoredLikePostgres() {
        byte[] serverFirst = server().serverFirstMessage(PLAIN, bytes("n,,n=someone=2Celse,r=abc"));

        assertThat(text(serverFirst)).startsWith("r=abc");
    }

    @Test
    void wrongFinalNonceIsRejected() {
        assertThat(finalFailure("c=biws,r=NONCEx,p=" + PROOF)).isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void wrongProofFailsAuthentication() {
        assertThat(finalFailure("c=biws,r=NONCE,p=" + PROOF)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c=biws,r=NONCE", "c=biws,r=NONCE,p=", "c=biws,r=NONCE,p=AAAA", "c=biws,r=NONCE,p=!!!!",
        "c=biws,r=NONCE,x=ext,p=" + PROOF, "c=biws,r=NONCE,p=" + PROOF + ",x=ext",
        "r=NONCE,c=biws,p=" + PROOF, "c=biw,r=NONCE,p=" + PROOF, "c=biws,p=" + PROOF,
        "c=biws,r=NONCE,p=" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // 32 bytes, no padding
    })
    void malformedClientFinalIsRejected(String clientFinal) {
        assertThat(finalFailure(clientFinal)).isEqualTo(Reason.MALFORMED_MESSAGE);
    }
}
