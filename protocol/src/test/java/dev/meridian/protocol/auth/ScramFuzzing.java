package dev.meridian.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/**
 * The fixed exchange the SCRAM fuzz targets start from: user password "pencil", the test salt,
 * {@link ScramTestSupport#FAST_ITERATIONS} rounds and fixed nonces, so a seed can hold the one
 * valid message of a step and the fuzzer can reach the success paths too.
 */
final class ScramFuzzing {
    static final String PASSWORD = "pencil";
    static final String CLIENT_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
    static final String SERVER_NONCE = "3rfcNHYJY1ZVvWVs7j";
    static final ScramVerifier VERIFIER = ScramTestSupport.verifier(PASSWORD);
    static final ChannelBinding TLS = ChannelBinding.tlsServerEndPoint(ScramTestSupport.CERT_HASH);
    static final String CLIENT_FIRST = "n,,n=,r=" + CLIENT_NONCE;
    static final String SERVER_FIRST = "r=" + CLIENT_NONCE + SERVER_NONCE + ",s="
            + ScramCrypto.base64(ScramTestSupport.SALT) + ",i=" + ScramTestSupport.FAST_ITERATIONS;

    private ScramFuzzing() {
    }

    static ScramServer server(ChannelBinding binding) {
        return new ScramServer(VERIFIER, binding, SERVER_NONCE);
    }

    /** A client that never derives keys for more rounds than the fixed exchange uses. */
    static ScramClient client(boolean tls) {
        ScramClient client = ScramClient.withPassword(PASSWORD).maxIterations(ScramTestSupport.FAST_ITERATIONS);
        if (tls) {
            client.channelBinding(TLS);
        }
        return client.identityForTest("", CLIENT_NONCE);
    }

    /** Byte 0 of an input holds flags; the message is the rest. */
    static byte[] message(byte[] data) {
        return data.length == 0 ? new byte[0] : Arrays.copyOfRange(data, 1, data.length);
    }

    static boolean flag(byte[] data, int bit) {
        return data.length > 0 && (data[0] & 1 << bit) != 0;
    }

    /** Every failure is a ScramException with a reason and a message safe to log. */
    static void assertSafe(ScramException e) {
        assertThat(e.reason()).isNotNull();
        assertThat(e.getMessage()).isNotBlank().matches("[\\x20-\\x7e]*");
    }
}
