package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.exchange;
import static dev.meridian.protocol.auth.ScramTestSupport.text;
import static dev.meridian.protocol.auth.ScramTestSupport.verifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.auth.ScramException.Reason;
import org.junit.jupiter.api.Test;

/** A ScramClient and a ScramServer talking to each other without channel binding. */
class ScramRoundTripTest {

    @Test
    void correctPasswordAuthenticates() {
        ScramServer server = new ScramServer(verifier("hunter2"), ChannelBinding.none());

        assertThatCode(() -> exchange(ScramClient.withPassword("hunter2"), server))
                .doesNotThrowAnyException();
    }

    @Test
    void wrongPasswordFailsAtServerFinal() {
        ScramServer server = new ScramServer(verifier("hunter2"), ChannelBinding.none());

        assertThatThrownBy(() -> exchange(ScramClient.withPassword("hunter3"), server))
                .isInstanceOfSatisfying(ScramException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void saslPreppedPasswordsAreEquivalent() {
        // U+2168 ROMAN NUMERAL NINE normalizes (NFKC) to "IX" on both sides.
        ScramServer server = new ScramServer(verifier("IX"), ChannelBinding.none());

        assertThatCode(() -> exchange(ScramClient.withPassword("\u2168"), server))
                .doesNotThrowAnyException();
    }

    @Test
    void clientFirstMessageHasEmptyUserNameLikeLibpq() {
        String first = text(ScramClient.withPassword("x").clientFirstMessage());

        assertThat(first).matches("n,,n=,r=[A-Za-z0-9+/]{24}");
    }

    @Test
    void noncesAreFreshPerExchange() {
        String a = text(ScramClient.withPassword("x").clientFirstMessage());
        String b = text(ScramClient.withPassword("x").clientFirstMessage());

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void recoveredClientKeyIsTheRealClientKey() {
        ScramServer server = exchange(ScramClient.withPassword("hunter2"),
                new ScramServer(verifier("hunter2"), ChannelBinding.none()));
        byte[] salted = ScramCrypto.hi("hunter2", ScramTestSupport.SALT, ScramTestSupport.FAST_ITERATIONS);

        assertThat(server.recoveredClientKey()).isEqualTo(ScramCrypto.clientKey(salted));
    }

    @Test
    void recoveredClientKeyIsUnavailableAfterFailure() {
        ScramServer server = new ScramServer(verifier("hunter2"), ChannelBinding.none());
        try {
            exchange(ScramClient.withPassword("wrong"), server);
        } catch (ScramException expected) {
            // fall through
        }

        assertThatIllegalStateException().isThrownBy(server::recoveredClientKey);
    }

    @Test
    void serverOutOfOrderCallIsRejected() {
        ScramServer server = new ScramServer(verifier("hunter2"), ChannelBinding.none());

        assertThatThrownBy(() -> server.serverFinalMessage(ScramTestSupport.bytes("c=biws,r=a,p=b")))
                .isInstanceOfSatisfying(ScramException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_MESSAGE));
    }

    @Test
    void clientOutOfOrderCallIsRejected() {
        ScramClient client = ScramClient.withPassword("x");

        assertThatThrownBy(() -> client.verifyServerFinal(ScramTestSupport.bytes("v=AAAA")))
                .isInstanceOfSatisfying(ScramException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_MESSAGE));
    }

    @Test
    void failedClientRefusesFurtherMessages() {
        ScramClient client = ScramClient.withPassword("x");
        client.clientFirstMessage();
        assertThatThrownBy(() -> client.clientFinalMessage(ScramTestSupport.bytes("garbage")))
                .isInstanceOf(ScramException.class);

        assertThatThrownBy(() -> client.verifyServerFinal(ScramTestSupport.bytes("v=AAAA")))
                .isInstanceOfSatisfying(ScramException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_MESSAGE));
    }

    @Test
    void exceptionsAndToStringsNeverContainThePassword() {
        ScramClient client = ScramClient.withPassword("hunter3-secret");
        ScramServer server = new ScramServer(verifier("hunter2-secret"), ChannelBinding.none());
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> exchange(client, server));

        assertThat(failure.getMessage() + client + server).doesNotContain("secret");
    }
}
