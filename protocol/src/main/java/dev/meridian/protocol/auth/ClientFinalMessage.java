package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;

/**
 * client-final-message = {@code c=<base64(gs2 header + channel-binding data)>,r=<nonce>,p=<proof>}
 * (RFC 5802 section 7).
 *
 * @param withoutProof the exact text before {@code ,p=}, as it enters the AuthMessage
 * @param channelBinding the {@code c=} value, still base64
 * @param nonce the combined nonce
 * @param proof the raw ClientProof; {@code null} while a client is still building the message
 */
record ClientFinalMessage(String withoutProof, String channelBinding, String nonce, byte[] proof) {

    private static final String WHAT = "client-final-message";

    static ClientFinalMessage withoutProof(Gs2Header header, byte[] bindingData, String nonce) {
        String binding = channelBindingValue(header, bindingData);
        return new ClientFinalMessage("c=" + binding + ",r=" + nonce, binding, nonce, null);
    }

    /** The {@code c=} value: base64 of the GS2 header followed by the channel-binding data. */
    static String channelBindingValue(Gs2Header header, byte[] bindingData) {
        byte[] gs2 = header.encode().getBytes(StandardCharsets.US_ASCII);
        byte[] input = new byte[gs2.length + bindingData.length];
        System.arraycopy(gs2, 0, input, 0, gs2.length);
        System.arraycopy(bindingData, 0, input, gs2.length, bindingData.length);
        return ScramCrypto.base64(input);
    }

    /**
     * Parses a client-final-message. Unlike PostgreSQL, which skips extensions before {@code p=},
     * we accept exactly {@code c}, {@code r}, {@code p}: no client sends anything else.
     */
    static ClientFinalMessage parse(byte[] message) {
        String text = ScramText.decode(message, WHAT);
        String[] values = ScramText.attributes(text, "crp", WHAT);
        ScramText.base64(values[0], "channel-binding attribute");
        String nonce = ScramText.nonce(values[1], "nonce");
        byte[] proof = ScramText.base64(values[2], "client proof");
        if (proof.length != ScramCrypto.KEY_LENGTH) {
            throw ScramException.malformed("client proof has the wrong length");
        }
        String withoutProof = text.substring(0, text.lastIndexOf(",p="));
        return new ClientFinalMessage(withoutProof, values[0], nonce, proof);
    }

    byte[] encode(byte[] clientProof) {
        String text = withoutProof + ",p=" + ScramCrypto.base64(clientProof);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientFinalMessage[proof redacted]";
    }
}
