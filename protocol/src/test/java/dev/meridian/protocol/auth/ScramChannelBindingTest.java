package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.CERT_HASH;
import static dev.meridian.protocol.auth.ScramTestSupport.PLAIN;
import static dev.meridian.protocol.auth.ScramTestSupport.PLUS;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static dev.meridian.protocol.auth.ScramTestSupport.exchange;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static dev.meridian.protocol.auth.ScramTestSupport.verifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.auth.ScramException.Reason;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256-PLUS with tls-server-end-point, and the negotiation around it. */
class ScramChannelBindingTest {

    private static final ChannelBinding TLS = ChannelBinding.tlsServerEndPoint(CERT_HASH);

    private static ScramServer tlsServer() {
        return new ScramServer(verifier("pw"), TLS);
    }

    private static ScramServer plainServer() {
        return new ScramServer(verifier("pw"), ChannelBinding.none());
    }

    private static ScramClient tlsClient() {
        return ScramClient.withPassword("pw").channelBinding(TLS);
    }

    private static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ScramException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void serverOffersPlusFirstOnlyWithChannelBinding() {
        assertThat(ScramServer.mechanisms(true)).containsExactly(PLUS, PLAIN);
        assertThat(ScramServer.mechanisms(false)).containsExactly(PLAIN);
    }

    @Test
    void plusExchangeSucceedsWhenBothSeeTheSameCertificate() {
        assertThatCode(() -> exchange(tlsClient(), tlsServer())).doesNotThrowAnyException();
    }

    @Test
    void clientSelectsPlusAndSendsPFlag() {
        ScramClient client = tlsClient();

        assertThat(client.selectMechanism(List.of(PLUS, PLAIN))).isEqualTo(PLUS);
        assertThat(text(client.clientFirstMessage())).startsWith("p=tls-server-end-point,,n=,r=");
    }

    @Test
    void clientWithBindingSendsYFlagWhenPlusNotOffered() {
        ScramClient client = tlsClient();

        assertThat(client.selectMechanism(List.of(PLAIN))).isEqualTo(PLAIN);
        assertThat(text(client.clientFirstMessage())).startsWith("y,,");
    }

    @Test
    void clientWithBindingAuthenticatesAgainstServerWithout() {
        assertThatCode(() -> exchange(tlsClient(), plainServer())).doesNotThrowAnyException();
    }

    @Test
    void clientRejectsMechanismListWithoutScram() {
        assertReason(() -> tlsClient().selectMechanism(List.of("OAUTHBEARER")),
                Reason.UNSUPPORTED_MECHANISM);
    }

    @Test
    void downgradeToYIsRefusedWhenPlusWasOffered() {
        byte[] first = bytes("y,,n=,r=abcdef");

        assertReason(() -> tlsServer().serverFirstMessage(PLAIN, first),
                Reason.CHANNEL_BINDING_DOWNGRADE);
    }

    @Test
    void differentCertificateHashFailsTheBindingCheck() {
        ScramClient client = ScramClient.withPassword("pw")
                .channelBinding(ChannelBinding.tlsServerEndPoint(ScramTestSupport.sha256("mitm cert")));

        assertReason(() -> exchange(client, tlsServer()), Reason.CHANNEL_BINDING_MISMATCH);
    }

    @Test
    void plusMechanismIsRefusedWithoutTls() {
        assertReason(() -> plainServer().serverFirstMessage(PLUS, bytes("p=tls-server-end-point,,n=,r=abc")),
                Reason.UNSUPPORTED_MECHANISM);
    }

    @Test
    void pFlagWithPlainMechanismIsRefused() {
        assertReason(() -> tlsServer().serverFirstMessage(PLAIN, bytes("p=tls-server-end-point,,n=,r=abc")),
                Reason.CHANNEL_BINDING_MISMATCH);
    }

    @Test
    void nFlagWithPlusMechanismIsRefused() {
        assertReason(() -> tlsServer().serverFirstMessage(PLUS, bytes("n,,n=,r=abc")),
                Reason.CHANNEL_BINDING_MISMATCH);
    }

    @Test
    void unknownChannelBindingTypeIsRefused() {
        assertReason(() -> tlsServer().serverFirstMessage(PLUS, bytes("p=tls-unique,,n=,r=abc")),
                Reason.CHANNEL_BINDING_MISMATCH);
    }

    @Test
    void nFlagClientFinalMustNotClaimY() {
        ScramServer server = plainServer();
        String nonce = text(server.serverFirstMessage(PLAIN, bytes("n,,n=,r=abc"))).split(",")[0];
        String proof = java.util.Base64.getEncoder().encodeToString(new byte[32]);

        // "eSws" is base64("y,,"): the header in c= must repeat the one actually sent.
        assertReason(() -> server.serverFinalMessage(bytes("c=eSws," + nonce + ",p=" + proof)),
                Reason.CHANNEL_BINDING_MISMATCH);
    }

    @Test
    void yFlagIsAcceptedWhenServerCannotBind() {
        assertThatCode(() -> plainServer().serverFirstMessage(PLAIN, bytes("y,,n=,r=abc")))
                .doesNotThrowAnyException();
    }
}
