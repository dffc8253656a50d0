package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;

/**
 * server-final-message = {@code v=<base64 ServerSignature>} or {@code e=<server-error-value>}
 * (RFC 5802 section 7). PostgreSQL reports failures as ErrorResponse instead of {@code e=}, but
 * other servers (and PgBouncer-like proxies) may use it.
 */
final class ServerFinalMessage {

    private static final String WHAT = "server-final-message";

    private ServerFinalMessage() {}

    static byte[] encode(byte[] serverSignature) {
        return ("v=" + ScramCrypto.base64(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the raw ServerSignature, or throws {@link ScramException.Reason#SERVER_ERROR}. */
    static byte[] parseSignature(byte[] message) {
        String text = ScramText.decode(message, WHAT);
        if (text.startsWith("e=")) {
            String error = ScramText.attributes(text, "e", WHAT)[0];
            throw new ScramException(ScramException.Reason.SERVER_ERROR,
                    "error received from server in SCRAM exchange: " + ScramException.sanitize(error));
        }
        byte[] signature = ScramText.base64(ScramText.attributes(text, "v", WHAT)[0], "server signature");
        if (signature.length != ScramCrypto.KEY_LENGTH) {
            throw ScramException.malformed("server signature has the wrong length");
        }
        return signature;
    }
}
