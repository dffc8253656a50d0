package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.protocol.auth.ScramException.Reason;
import org.junit.jupiter.api.Test;

/**
 * The proxy recovers ClientKey from a client's proof and logs into the backend with it, never
 * knowing the password (PgBouncer's SCRAM passthrough).
 */
class ScramPassthroughTest {

    private static final ScramVerifier VERIFIER = ScramTestSupport.verifier("hunter2");

    private static byte[] recoverClientKey() {
        ScramServer front = new ScramServer(VERIFIER, ChannelBinding.none());
        return exchange(ScramClient.withPassword("hunter2"), front).recoveredClientKey();
    }

    private static ScramClient passthroughClient() {
        return ScramClient.withKeys(recoverClientKey(), VERIFIER.serverKey(),
                VERIFIER.iterations(), VERIFIER.salt());
    }

    @Test
    void recoveredKeyAuthenticatesAgainstBackendWithSameVerifier() {
        ScramServer backend = new ScramServer(ScramVerifier.parse(VERIFIER.encode()), ChannelBinding.none());

        assertThatCode(() -> exchange(passthroughClient(), backend)).doesNotThrowAnyException();
    }

    @Test
    void backendWithDifferentSaltFailsClearly() {
        ScramVerifier resalted = ScramVerifier.fromPassword("hunter2",
                ScramTestSupport.bytes("another salt...."), VERIFIER.iterations());
        ScramServer backend = new ScramServer(resalted, ChannelBinding.none());

        ScramException e = catchThrowableOfType(ScramException.class,
                () -> exchange(passthroughClient(), backend));

        assertThat(e.reason()).isEqualTo(Reason.PASSTHROUGH_MISMATCH);
        assertThat(e.getMessage()).contains("different salt or iteration count");
    }

    @Test
    void backendWithDifferentIterationCountFailsClearly() {
        ScramVerifier slower = ScramVerifier.fromPassword("hunter2", VERIFIER.salt(), 128);
        ScramServer backend = new ScramServer(slower, ChannelBinding.none());

        assertThat(catchThrowableOfType(ScramException.class,
                () -> exchange(passthroughClient(), backend)).reason())
                .isEqualTo(Reason.PASSTHROUGH_MISMATCH);
    }

    @Test
    void wrongServerKeyIsCaughtByServerSignature() {
        ScramClient client = ScramClient.withKeys(recoverClientKey(), new byte[32],
                VERIFIER.iterations(), VERIFIER.salt());
        ScramServer backend = new ScramServer(VERIFIER, ChannelBinding.none());

        assertThat(catchThrowableOfType(ScramException.class, () -> exchange(client, backend)).reason())
                .isEqualTo(Reason.SERVER_SIGNATURE_MISMATCH);
    }

    @Test
    void keysMustBeSha256Sized() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> ScramClient.withKeys(new byte[16], new byte[32], 4096, new byte[16]));
    }
}
