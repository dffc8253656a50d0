package dev.meridian.protocol.auth;

import dev.meridian.protocol.auth.ScramException.Reason;
import java.util.List;
import java.util.Objects;

/**
 * The server side of one SCRAM-SHA-256(-PLUS) exchange, used to authenticate a client against a
 * stored {@link ScramVerifier}. Follows PostgreSQL's auth-scram.c. Not thread-safe; not
 * reusable. Order of calls: {@link #serverFirstMessage}, {@link #serverFinalMessage}, then
 * optionally {@link #recoveredClientKey}. Any failure ends the exchange.
 */
public final class ScramServer {


    private final ScramVerifier verifier;
    private final ChannelBinding channelBinding;
    private final String serverNonce;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private byte[] clientKey;
    private final ScramSteps steps = new ScramSteps("server");

    /**
     * @param verifier the user's verifier, or a {@linkplain ScramVerifier#mock mock} one for an
     *     unknown user
     * @param channelBinding the TLS server certificate hash when the client is on TLS, else
     *     {@link ChannelBinding#none()}; decides whether -PLUS is offered
     */
    public ScramServer(ScramVerifier verifier, ChannelBinding channelBinding) {
        this(verifier, channelBinding, ScramCrypto.newNonce());
    }

    /** Test hook: a fixed server nonce reproduces RFC 7677's vector. */
    ScramServer(ScramVerifier verifier, ChannelBinding channelBinding, String serverNonce) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.channelBinding = Objects.requireNonNull(channelBinding, "channelBinding");
        this.serverNonce = serverNonce;
    }

    /** The AuthenticationSASL mechanism list; -PLUS first when channel binding is available. */
    public static List<String> mechanisms(boolean channelBindingAvailable) {
        return ScramMechanisms.offered(channelBindingAvailable);
    }

    /** The mechanisms this exchange offers. */
    public List<String> mechanisms() {
        return mechanisms(channelBinding.isEnabled());
    }

    /**
     * Handles SASLInitialResponse: the mechanism the client chose and its client-first-message.
     * Returns the server-first-message for AuthenticationSASLContinue.
     */
    public byte[] serverFirstMessage(String mechanism, byte[] clientFirstMessage) {
        return steps.step(ScramSteps.State.INITIAL, ScramSteps.State.FIRST_SENT, () -> {
            boolean plus = selectedPlus(mechanism);
            clientFirst = ClientFirstMessage.parse(clientFirstMessage);
            checkChannelBindingFlag(clientFirst.header(), plus);
            String nonce = clientFirst.nonce() + serverNonce;
            serverFirst = ServerFirstMessage.create(nonce, verifier.salt(), verifier.iterations());
            return serverFirst.encode();
        });
    }

    /**
     * Handles the client-final-message (SASLResponse). Returns the server-final-message for
     * AuthenticationSASLFinal, or throws {@link Reason#AUTHENTICATION_FAILED} for a wrong
     * password or a mock verifier, after the same amount of work in both cases.
     */
    public byte[] serverFinalMessage(byte[] clientFinalMessage) {
        return steps.step(ScramSteps.State.FIRST_SENT, ScramSteps.State.DONE, () -> {
            ClientFinalMessage clientFinal = ClientFinalMessage.parse(clientFinalMessage);
            checkChannelBindingData(clientFinal);
            if (!clientFinal.nonce().equals(serverFirst.nonce())) {
                throw new ScramException(Reason.NONCE_MISMATCH, "SCRAM nonce mismatch");
            }
            String authMessage = clientFirst.bare() + "," + serverFirst.text() + ","
                    + clientFinal.withoutProof();
            byte[] storedKey = verifier.storedKey();
            byte[] clientSignature = ScramCrypto.hmac(storedKey, authMessage);
            byte[] recovered = ScramCrypto.xor(clientFinal.proof(), clientSignature);
            boolean valid = ScramCrypto.constantTimeEquals(ScramCrypto.sha256(recovered), storedKey);
            if (!valid || verifier.isMock()) {
                throw new ScramException(Reason.AUTHENTICATION_FAILED, "SCRAM authentication failed");
            }
            clientKey = recovered;
            return ServerFinalMessage.encode(ScramCrypto.hmac(verifier.serverKey(), authMessage));
        });
    }

    /**
     * The client's ClientKey (ClientProof XOR ClientSignature), recovered from a successful
     * exchange; with the verifier's ServerKey it lets {@link ScramClient#withKeys} log into a
     * backend as this user.
     */
    public byte[] recoveredClientKey() {
        if (steps.state() != ScramSteps.State.DONE) {
            throw new IllegalStateException("SCRAM exchange has not succeeded");
        }
        return clientKey.clone();
    }

    @Override
    public String toString() {
        return "ScramServer[" + steps.state() + ", " + channelBinding + "]";
    }

    private boolean selectedPlus(String mechanism) {
        if (mechanism == null || !mechanisms().contains(mechanism)) {
            throw new ScramException(Reason.UNSUPPORTED_MECHANISM,
                    "client selected an invalid SASL authentication mechanism");
        }
        return mechanism.equals(ScramMechanisms.SCRAM_SHA_256_PLUS);
    }

    /** The flag checks of read_client_first_message() in PostgreSQL's auth-scram.c. */
    private void checkChannelBindingFlag(Gs2Header header, boolean plus) {
        if (header.flag() == 'p' && !plus) {
            throw new ScramException(Reason.CHANNEL_BINDING_MISMATCH, "the client selected "
                    + "SCRAM-SHA-256 without channel binding, but the message includes channel binding data");
        }
        if (header.flag() != 'p' && plus) {
            throw new ScramException(Reason.CHANNEL_BINDING_MISMATCH, "the client selected "
                    + "SCRAM-SHA-256-PLUS, but the message does not include channel binding data");
        }
        if (header.flag() == 'y' && channelBinding.isEnabled()) {
            throw new ScramException(Reason.CHANNEL_BINDING_DOWNGRADE, "the client supports SCRAM "
                    + "channel binding but thinks the server does not; this server does support it");
        }
        if (header.flag() == 'p'
                && !ChannelBinding.TLS_SERVER_END_POINT.equals(header.channelBindingType())) {
            throw new ScramException(Reason.CHANNEL_BINDING_MISMATCH,
                    "unsupported SCRAM channel-binding type \""
                            + ScramException.sanitize(header.channelBindingType()) + "\"");
        }
    }

    /** {@code c=} must repeat the client's GS2 header, plus the certificate hash for -PLUS. */
    private void checkChannelBindingData(ClientFinalMessage clientFinal) {
        Gs2Header header = clientFirst.header();
        byte[] data = header.flag() == 'p' ? channelBinding.data() : new byte[0];
        String expected = ClientFinalMessage.channelBindingValue(header, data);
        if (!expected.equals(clientFinal.channelBinding())) {
            throw new ScramException(Reason.CHANNEL_BINDING_MISMATCH,
                    "SCRAM channel binding check failed");
        }
    }
}
