package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.PLAIN;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static dev.meridian.protocol.auth.ScramTestSupport.exchange;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Unknown users get a mock verifier and must look exactly like a wrong password. */
class ScramMockVerifierTest {

    private static final byte[] SECRET = bytes("per-process secret, 32 bytes....");
    private static final String SERVER_FIRST_SHAPE =
            "r=[!-+\\--~]+,s=[A-Za-z0-9+/]{22}==,i=4096";

    private static String serverFirst(ScramVerifier verifier) {
        ScramServer server = new ScramServer(verifier, ChannelBinding.none());
        return text(server.serverFirstMessage(PLAIN, bytes("n,,n=,r=clientnonce")));
    }

    private static String salt(String serverFirst) {
        return serverFirst.split(",")[1];
    }

    @Test
    void mockServerFirstHasTheShapeOfARealOne() {
        String real = serverFirst(ScramVerifier.generate("pw"));
        String mock = serverFirst(ScramVerifier.mock("nobody", SECRET));

        assertThat(real).matches(SERVER_FIRST_SHAPE);
        assertThat(mock).matches(SERVER_FIRST_SHAPE);
    }

    @Test
    void mockSaltIsStablePerUser() {
        assertThat(salt(serverFirst(ScramVerifier.mock("nobody", SECRET))))
                .isEqualTo(salt(serverFirst(ScramVerifier.mock("nobody", SECRET))));
    }

    @Test
    void mockSaltDiffersBetweenUsers() {
        assertThat(ScramVerifier.mock("alice", SECRET).salt())
                .isNotEqualTo(ScramVerifier.mock("bob", SECRET).salt());
    }

    @Test
    void mockSaltDependsOnTheProcessSecret() {
        byte[] otherSecret = bytes("another per-process secret......");

        assertThat(ScramVerifier.mock("alice", SECRET).salt())
                .isNotEqualTo(ScramVerifier.mock("alice", otherSecret).salt());
    }

    @Test
    void mockSaltIsScramMockSaltOfPostgres() {
        byte[] expected = java.util.Arrays.copyOf(ScramCrypto.sha256(bytes("alice"), SECRET), 16);

        assertThat(ScramVerifier.mock("alice", SECRET).salt()).isEqualTo(expected);
    }

    @Test
    void mockFailsExactlyLikeAWrongPassword() {
        ScramVerifier mock = ScramVerifier.mock("nobody", SECRET);
        ScramException mockFailure = catchThrowableOfType(ScramException.class,
                () -> exchange(ScramClient.withPassword("pw"), new ScramServer(mock, ChannelBinding.none())));
        ScramException wrongPassword = catchThrowableOfType(ScramException.class,
                () -> exchange(ScramClient.withPassword("pw"),
                        new ScramServer(ScramVerifier.generate("other"), ChannelBinding.none())));

        assertThat(mockFailure.reason()).isEqualTo(wrongPassword.reason());
        assertThat(mockFailure.getMessage()).isEqualTo(wrongPassword.getMessage());
    }

    @Test
    void mockFailsEvenWithAProofMadeFromItsOwnKeys() {
        // Even a client holding the mock's keys (impossible in practice) must not get in.
        ScramVerifier mock = ScramVerifier.mock("nobody", SECRET);
        ScramServer server = new ScramServer(mock, ChannelBinding.none());
        ScramClient client = ScramClient.withKeys(new byte[32], mock.serverKey(), mock.iterations(), mock.salt());

        assertThat(catchThrowableOfType(ScramException.class, () -> exchange(client, server)).reason())
                .isEqualTo(ScramException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void mockIterationsCanMatchTheDeployment() {
        assertThat(ScramVerifier.mock("nobody", SECRET, 10_000).iterations()).isEqualTo(10_000);
    }

    @Test
    void mockRequiresAProperSecret() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScramVerifier.mock("u", new byte[8]));
    }

    @Test
    void mockCannotBeEncodedForStorage() {
        assertThatIllegalStateException().isThrownBy(() -> ScramVerifier.mock("u", SECRET).encode());
    }
}
