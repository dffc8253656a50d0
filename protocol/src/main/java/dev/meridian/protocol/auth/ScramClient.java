package dev.meridian.protocol.auth;

import dev.meridian.protocol.auth.ScramException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The client side of one SCRAM-SHA-256(-PLUS) exchange, used to log into a backend. Follows
 * libpq's fe-auth-scram.c. Not thread-safe; not reusable. Order of calls: optionally {@link
 * #selectMechanism}, then {@link #clientFirstMessage}, {@link #clientFinalMessage}, {@link
 * #verifyServerFinal}. Any failure ends the exchange; later calls throw {@link
 * Reason#UNEXPECTED_MESSAGE}.
 */
public final class ScramClient {

    /** Default ceiling on a server's iteration count: PostgreSQL uses 4096 by default. */
    public static final int DEFAULT_MAX_ITERATIONS = 100_000;


    private final ScramClientKeys keys;
    private ChannelBinding channelBinding = ChannelBinding.none();
    private int maxIterations;
    private Gs2Header header;
    private String user = "";
    private String nonce;
    private ClientFirstMessage clientFirst;
    private byte[] expectedServerSignature;
    private final ScramSteps steps = new ScramSteps("client");

    private ScramClient(ScramClientKeys keys, int maxIterations) {
        this.keys = keys;
        this.maxIterations = maxIterations;
    }

    /** Authenticates with a plaintext password (SASLprep is applied as PostgreSQL does). */
    public static ScramClient withPassword(String password) {
        return new ScramClient(ScramClientKeys.password(password), DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Authenticates without the password, PgBouncer-style: {@code clientKey} recovered by a
     * {@link ScramServer} from a client's proof, {@code serverKey} from the same verifier. Works
     * only if the backend stores the same secret; if its salt or iteration count differ from
     * the expected ones, {@link #clientFinalMessage} fails with {@link
     * Reason#PASSTHROUGH_MISMATCH}. No key derivation happens, so the iteration ceiling is
     * raised to at least {@code expectedIterations}.
     */
    public static ScramClient withKeys(byte[] clientKey, byte[] serverKey, int expectedIterations,
            byte[] expectedSalt) {
        ScramClientKeys keys =
                ScramClientKeys.passthrough(clientKey, serverKey, expectedIterations, expectedSalt);
        return new ScramClient(keys, Math.max(DEFAULT_MAX_ITERATIONS, expectedIterations));
    }

    /** Binds to the TLS channel when the server offers -PLUS; call before the first message. */
    public ScramClient channelBinding(ChannelBinding binding) {
        requireUnstarted();
        if (header != null) {
            throw new IllegalStateException("set channel binding before selecting the mechanism");
        }
        this.channelBinding = Objects.requireNonNull(binding, "binding");
        return this;
    }

    /** Refuse server iteration counts above {@code max} before doing any PBKDF2 work. */
    public ScramClient maxIterations(int max) {
        requireUnstarted();
        if (max < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1");
        }
        this.maxIterations = max;
        return this;
    }

    /**
     * Picks the mechanism for SASLInitialResponse from the server's AuthenticationSASL list, as
     * libpq does: -PLUS if offered and we have binding data; otherwise SCRAM-SHA-256, telling
     * the server with the {@code y} flag that we could have bound (so it detects a downgrade).
     */
    public String selectMechanism(List<String> serverMechanisms) {
        requireUnstarted();
        if (channelBinding.isEnabled() && serverMechanisms.contains(ScramMechanisms.SCRAM_SHA_256_PLUS)) {
            header = Gs2Header.TLS_SERVER_END_POINT;
        } else if (serverMechanisms.contains(ScramMechanisms.SCRAM_SHA_256)) {
            header = channelBinding.isEnabled() ? Gs2Header.BINDING_NOT_OFFERED : Gs2Header.NO_BINDING;
        } else {
            throw new ScramException(Reason.UNSUPPORTED_MECHANISM,
                    "server offers no supported SASL mechanism");
        }
        return mechanism();
    }

    /** The mechanism name to send; without {@link #selectMechanism}, -PLUS iff binding is set. */
    public String mechanism() {
        return gs2Header().flag() == 'p'
                ? ScramMechanisms.SCRAM_SHA_256_PLUS
                : ScramMechanisms.SCRAM_SHA_256;
    }

    /** The client-first-message for SASLInitialResponse: {@code <gs2 header>n=,r=<nonce>}. */
    public byte[] clientFirstMessage() {
        return steps.step(ScramSteps.State.INITIAL, ScramSteps.State.FIRST_SENT, () -> {
            header = gs2Header();
            clientFirst = ClientFirstMessage.create(header, user,
                    nonce != null ? nonce : ScramCrypto.newNonce());
            return clientFirst.encode();
        });
    }

    /** Answers the server-first-message (AuthenticationSASLContinue) with the client proof. */
    public byte[] clientFinalMessage(byte[] serverFirst) {
        return steps.step(ScramSteps.State.FIRST_SENT, ScramSteps.State.FINAL_SENT, () -> {
            ServerFirstMessage first = ServerFirstMessage.parse(serverFirst, maxIterations);
            String ours = clientFirst.nonce();
            if (!first.nonce().startsWith(ours) || first.nonce().length() == ours.length()) {
                throw new ScramException(Reason.NONCE_MISMATCH,
                        "server nonce does not extend the client nonce");
            }
            ScramClientKeys.Derived derived = keys.derive(first.salt(), first.iterations());
            ClientFinalMessage last = ClientFinalMessage.withoutProof(
                    header, bindingData(), first.nonce());
            String authMessage = clientFirst.bare() + "," + first.text() + "," + last.withoutProof();
            byte[] storedKey = ScramCrypto.sha256(derived.clientKey());
            byte[] clientSignature = ScramCrypto.hmac(storedKey, authMessage);
            expectedServerSignature = ScramCrypto.hmac(derived.serverKey(), authMessage);
            return last.encode(ScramCrypto.xor(derived.clientKey(), clientSignature));
        });
    }

    /** Checks the server-final-message (AuthenticationSASLFinal): the server knew the secret. */
    public void verifyServerFinal(byte[] serverFinal) {
        steps.step(ScramSteps.State.FINAL_SENT, ScramSteps.State.DONE, () -> {
            byte[] signature = ServerFinalMessage.parseSignature(serverFinal);
            if (!ScramCrypto.constantTimeEquals(signature, expectedServerSignature)) {
                throw new ScramException(Reason.SERVER_SIGNATURE_MISMATCH,
                        "invalid SCRAM server signature");
            }
            Arrays.fill(expectedServerSignature, (byte) 0);
            return null;
        });
    }

    /** Test hook: RFC 7677's vector needs {@code n=user} and a fixed client nonce. */
    ScramClient identityForTest(String testUser, String testNonce) {
        requireUnstarted();
        this.user = testUser;
        this.nonce = testNonce;
        return this;
    }

    @Override
    public String toString() {
        return "ScramClient[" + steps.state() + ", " + channelBinding + "]";
    }

    private Gs2Header gs2Header() {
        if (header != null) {
            return header;
        }
        return channelBinding.isEnabled() ? Gs2Header.TLS_SERVER_END_POINT : Gs2Header.NO_BINDING;
    }

    /** Binding data goes into {@code c=} only with the {@code p} flag (RFC 5802 section 6). */
    private byte[] bindingData() {
        return header.flag() == 'p' ? channelBinding.data() : new byte[0];
    }

    private void requireUnstarted() {
        if (steps.state() != ScramSteps.State.INITIAL) {
            throw new IllegalStateException("SCRAM exchange already started");
        }
    }
}
