package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Small helpers shared by the SCRAM tests. */
final class ScramTestSupport {

    static final String PLAIN = ScramMechanisms.SCRAM_SHA_256;
    static final String PLUS = ScramMechanisms.SCRAM_SHA_256_PLUS;
    /** Fewer rounds than PostgreSQL's 4096 keep the suite fast; the maths does not change. */
    static final int FAST_ITERATIONS = 64;
    static final byte[] SALT = bytes("0123456789abcdef");
    static final byte[] CERT_HASH = sha256("pretend DER certificate");

    private ScramTestSupport() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }

    static byte[] sha256(String s) {
        return ScramCrypto.sha256(bytes(s));
    }

    static ScramVerifier verifier(String password) {
        return ScramVerifier.fromPassword(password, SALT, FAST_ITERATIONS);
    }

    /**
     * Runs a full exchange; returns the server so callers can inspect it. Throws whatever
     * ScramException either side raises.
     */
    static ScramServer exchange(ScramClient client, ScramServer server, String mechanism) {
        byte[] serverFirst = server.serverFirstMessage(mechanism, client.clientFirstMessage());
        byte[] serverFinal = server.serverFinalMessage(client.clientFinalMessage(serverFirst));
        client.verifyServerFinal(serverFinal);
        return server;
    }

    static ScramServer exchange(ScramClient client, ScramServer server) {
        return exchange(client, server, client.selectMechanism(server.mechanisms()));
    }
}
