package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;

/**
 * client-first-message = gs2-header client-first-message-bare, with the bare part
 * {@code n=<user>,r=<client nonce>} (RFC 5802 section 7).
 *
 * @param header the GS2 header
 * @param bare the exact client-first-message-bare text, as it enters the AuthMessage
 * @param nonce the client nonce
 */
record ClientFirstMessage(Gs2Header header, String bare, String nonce) {

    private static final String WHAT = "client-first-message";

    /**
     * Builds the message a client sends. PostgreSQL takes the user name from the startup packet
     * and ignores {@code n=}; libpq sends it empty (pgjdbc sends {@code *}), and so do we.
     */
    static ClientFirstMessage create(Gs2Header header, String user, String nonce) {
        return new ClientFirstMessage(header, "n=" + saslName(user) + ",r=" + nonce, nonce);
    }

    static ClientFirstMessage parse(byte[] message) {
        String text = ScramText.decode(message, WHAT);
        String[] fields = text.split(",", 3);
        if (fields.length < 3) {
            throw ScramException.malformed("GS2 header incomplete in " + WHAT);
        }
        Gs2Header header = Gs2Header.parse(fields[0], fields[1]);
        String bare = fields[2];
        if (bare.startsWith("m=")) {
            throw new ScramException(ScramException.Reason.UNSUPPORTED_FEATURE,
                    "client requires an unsupported SCRAM extension");
        }
        // values[0] is the user name, which PostgreSQL ignores; so do we.
        String[] values = ScramText.attributes(bare, "nr", WHAT);
        return new ClientFirstMessage(header, bare, ScramText.nonce(values[1], "client nonce"));
    }

    byte[] encode() {
        return (header.encode() + bare).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 5802 saslname: ',' and '=' must be escaped as =2C and =3D. */
    private static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }
}
