package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;

/**
 * server-first-message = {@code r=<client nonce + server nonce>,s=<salt>,i=<iterations>}
 * (RFC 5802 section 7).
 *
 * @param text the exact message text, as it enters the AuthMessage
 * @param nonce the combined nonce
 * @param salt the raw salt
 * @param iterations the iteration count
 */
record ServerFirstMessage(String text, String nonce, byte[] salt, int iterations) {

    private static final String WHAT = "server-first-message";

    static ServerFirstMessage create(String nonce, byte[] salt, int iterations) {
        String text = "r=" + nonce + ",s=" + ScramCrypto.base64(salt) + ",i=" + iterations;
        return new ServerFirstMessage(text, nonce, salt, iterations);
    }

    /**
     * Parses and bounds-checks a server-first-message; mirrors {@code read_server_first_message()}
     * in libpq's fe-auth-scram.c, but also refuses iteration counts above {@code maxIterations}.
     */
    static ServerFirstMessage parse(byte[] message, int maxIterations) {
        String text = ScramText.decode(message, WHAT);
        if (text.startsWith("m=")) {
            throw new ScramException(ScramException.Reason.UNSUPPORTED_FEATURE,
                    "server requires an unsupported SCRAM extension");
        }
        String[] values = ScramText.attributes(text, "rsi", WHAT);
        String nonce = ScramText.nonce(values[0], "server nonce");
        byte[] salt = ScramText.base64(values[1], "salt");
        if (salt.length == 0) {
            throw ScramException.malformed("salt is empty");
        }
        int iterations = ScramText.iterationCount(values[2], maxIterations);
        return new ServerFirstMessage(text, nonce, salt, iterations);
    }

    byte[] encode() {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
