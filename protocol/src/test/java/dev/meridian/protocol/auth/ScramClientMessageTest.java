package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.protocol.auth.ScramException.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's strict parsing of server-first and server-final messages. */
class ScramClientMessageTest {

    private static final String NONCE = "clientnonce";
    private static final String SALT = "c2FsdHNhbHQ=";
    /** base64 of 32 zero bytes; a literal so annotations can use it. */
    private static final String SIGNATURE = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static ScramClient started() {
        ScramClient client = ScramClient.withPassword("pw").identityForTest("", NONCE);
        client.clientFirstMessage();
        return client;
    }

    private static Reason serverFirstFailure(ScramClient client, String serverFirst) {
        return catchThrowableOfType(ScramException.class,
                () -> client.clientFinalMessage(bytes(serverFirst))).reason();
    }

    private static Reason serverFinalFailure(String serverFinal) {
        ScramClient client = started();
        client.clientFinalMessage(bytes("r=" + NONCE + "srv,s=" + SALT + ",i=16"));
        return catchThrowableOfType(ScramException.class,
                () -> client.verifyServerFinal(bytes(serverFinal))).reason();
    }

    @Test
    void serverNonceMustExtendClientNonce() {
        assertThat(serverFirstFailure(started(), "r=othernonce,s=" + SALT + ",i=4096"))
                .isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void serverMustAddItsOwnNonce() {
        assertThat(serverFirstFailure(started(), "r=" + NONCE + ",s=" + SALT + ",i=4096"))
                .isEqualTo(Reason.NONCE_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "100001", "2147483647", "99999999999999999999"})
    void iterationCountOutOfRangeIsRefused(String iterations) {
        String serverFirst = "r=" + NONCE + "srv,s=" + SALT + ",i=" + iterations;

        assertThat(serverFirstFailure(started(), serverFirst))
                .isIn(Reason.ITERATION_COUNT_OUT_OF_RANGE, Reason.MALFORMED_MESSAGE);
    }

    @Test
    void absurdIterationCountIsRefusedBeforeAnyKeyDerivation() {
        String serverFirst = "r=" + NONCE + "srv,s=" + SALT + ",i=2147483647";

        Reason reason = assertTimeout(Duration.ofMillis(500), () -> serverFirstFailure(started(), serverFirst));

        assertThat(reason).isEqualTo(Reason.ITERATION_COUNT_OUT_OF_RANGE);
    }

    @Test
    void iterationCeilingIsConfigurable() {
        ScramClient client = ScramClient.withPassword("pw").maxIterations(1000).identityForTest("", NONCE);
        client.clientFirstMessage();

        assertThat(serverFirstFailure(client, "r=" + NONCE + "srv,s=" + SALT + ",i=4096"))
                .isEqualTo(Reason.ITERATION_COUNT_OUT_OF_RANGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "r=" + NONCE + "srv,s=" + SALT, "r=" + NONCE + "srv,s=!!!,i=16", "r=" + NONCE + "srv,s=,i=16",
        "r=" + NONCE + "srv,s=" + SALT + ",i=16,x=ext", "r=" + NONCE + "srv,s=" + SALT + ",i=+16",
        "r=" + NONCE + "srv,s=" + SALT + ",i=1e3", "s=" + SALT + ",r=" + NONCE + "srv,i=16",
        "r=" + NONCE + "s\u00e9rv,s=" + SALT + ",i=16", "r=" + NONCE + "srv,s=c2FsdHNhbHQ,i=16", "",
    })
    void malformedServerFirstIsRejected(String serverFirst) {
        assertThat(serverFirstFailure(started(), serverFirst)).isEqualTo(Reason.MALFORMED_MESSAGE);
    }

    @Test
    void mandatoryServerExtensionIsUnsupported() {
        assertThat(serverFirstFailure(started(), "m=ext,r=" + NONCE + "srv,s=" + SALT + ",i=16"))
                .isEqualTo(Reason.UNSUPPORTED_FEATURE);
    }

    @Test
    void serverErrorIsReportedWithItsCode() {
        ScramClient client = started();
        client.clientFinalMessage(bytes("r=" + NONCE + "srv,s=" + SALT + ",i=16"));

        ScramException e = catchThrowableOfType(ScramException.class,
                () -> client.verifyServerFinal(bytes("e=invalid-proof")));

        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.getMessage()).contains("invalid-proof");
    }

    @Test
    void wrongServerSignatureIsRejected() {
        assertThat(serverFinalFailure("v=" + SIGNATURE)).isEqualTo(Reason.SERVER_SIGNATURE_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v=", "v=AAAA", "v=" + SIGNATURE + ",x=1", "x=" + SIGNATURE, "e=a,v=b", "v=!!"})
    void malformedServerFinalIsRejected(String serverFinal) {
        assertThat(serverFinalFailure(serverFinal)).isEqualTo(Reason.MALFORMED_MESSAGE);
    }
}
