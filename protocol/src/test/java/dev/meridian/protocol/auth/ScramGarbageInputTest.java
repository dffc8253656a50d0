package dev.meridian.protocol.auth;

import static dev.meridian.protocol.auth.ScramTestSupport.PLAIN;
import static dev.meridian.protocol.auth.ScramTestSupport.PLUS;
import static dev.meridian.protocol.auth.ScramTestSupport.bytes;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Parsers must be total: whatever bytes a peer sends, the only exception that comes out is
 * ScramException (ScramVerifier.parse, which reads configuration, throws only
 * IllegalArgumentException). Inputs are random bytes, random SCRAM-ish tokens, and mutations
 * of valid messages; the seed is fixed so a failure is reproducible.
 */
class ScramGarbageInputTest {

    private static final int CASES = 3000;
    private static final ChannelBinding TLS = ChannelBinding.tlsServerEndPoint(ScramTestSupport.CERT_HASH);
    private static final ScramVerifier VERIFIER = ScramTestSupport.verifier("pw");
    private static final String[] TOKENS = {
        "n", "y", "p", "=", ",", ",,", "n=", "r=", "s=", "i=", "c=", "p=", "v=", "e=", "m=", "a=",
        "tls-server-end-point", "biws", "==", "4096", "0", "-", "\0", "\u00e9", "\uFFFF", "AAAA", "x",
    };

    private final Random random = new Random(0x5C4A11L);

    private static ScramClient client() {
        return ScramClient.withPassword("pw").maxIterations(ScramTestSupport.FAST_ITERATIONS);
    }

    private static ScramServer server() {
        return new ScramServer(VERIFIER, TLS);
    }

    /** A valid client-first, server-first, client-final and server-final, in that order. */
    private static List<byte[]> validMessages() {
        ScramClient client = client().channelBinding(TLS);
        ScramServer server = server();
        byte[] clientFirst = client.clientFirstMessage();
        byte[] serverFirst = server.serverFirstMessage(PLUS, clientFirst);
        byte[] clientFinal = client.clientFinalMessage(serverFirst);
        return List.of(clientFirst, serverFirst, clientFinal, server.serverFinalMessage(clientFinal));
    }

    @Test
    void serverFirstMessageThrowsOnlyScramException() {
        fuzz(0, input -> server().serverFirstMessage(random.nextBoolean() ? PLAIN : PLUS, input));
    }

    @Test
    void serverFinalMessageThrowsOnlyScramException() {
        fuzz(2, input -> {
            ScramServer server = server();
            server.serverFirstMessage(PLAIN, bytes("n,,n=,r=abc"));
            server.serverFinalMessage(input);
        });
    }

    @Test
    void clientFinalMessageThrowsOnlyScramException() {
        fuzz(1, input -> {
            ScramClient client = client().identityForTest("", "abc");
            client.clientFirstMessage();
            client.clientFinalMessage(input);
        });
    }

    @Test
    void verifyServerFinalThrowsOnlyScramException() {
        fuzz(3, input -> {
            ScramClient client = client().identityForTest("", "abc");
            client.clientFirstMessage();
            client.clientFinalMessage(bytes("r=abcdef,s=c2FsdA==,i=1"));
            client.verifyServerFinal(input);
        });
    }

    @Test
    void verifierParseThrowsOnlyIllegalArgumentException() {
        List<byte[]> inputs = inputs(bytes(VERIFIER.encode()));
        for (byte[] input : inputs) {
            try {
                ScramVerifier.parse(new String(input, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException expected) {
                // the only exception allowed
            } catch (RuntimeException e) {
                fail("ScramVerifier.parse threw " + e + " for " + HexFormat.of().formatHex(input), e);
            }
        }
    }

    private void fuzz(int validIndex, Consumer<byte[]> parser) {
        List<byte[]> inputs = inputs(validMessages().get(validIndex));
        inputs.add(null);
        for (byte[] input : inputs) {
            try {
                parser.accept(input);
            } catch (ScramException expected) {
                // the only exception allowed
            } catch (RuntimeException e) {
                String shown = input == null ? "null" : HexFormat.of().formatHex(input);
                fail("non-SCRAM exception " + e + " for input " + shown, e);
            }
        }
    }

    private List<byte[]> inputs(byte[] valid) {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(new byte[0]);
        for (int i = 0; i < CASES; i++) {
            inputs.add(switch (i % 3) {
                case 0 -> randomBytes();
                case 1 -> randomTokens();
                default -> mutate(valid);
            });
        }
        return inputs;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[random.nextInt(80)];
        random.nextBytes(b);
        return b;
    }

    private byte[] randomTokens() {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        return bytes(s.toString());
    }

    /** Flips, deletes, inserts or truncates a few bytes of a valid message. */
    private byte[] mutate(byte[] valid) {
        List<Byte> b = new ArrayList<>();
        for (byte x : valid) {
            b.add(x);
        }
        for (int n = 1 + random.nextInt(3); n > 0 && !b.isEmpty(); n--) {
            int at = random.nextInt(b.size());
            switch (random.nextInt(4)) {
                case 0 -> b.set(at, (byte) random.nextInt(256));
                case 1 -> b.remove(at);
                case 2 -> b.add(at, (byte) ",=ar\0\u00ff".charAt(random.nextInt(6)));
                default -> b.subList(at, b.size()).clear();
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
