package dev.meridian.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.io.File;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Whether a PEM private key belongs to a certificate. Java's TLS stack accepts any pair and only
 * fails later, in every handshake (and {@code prefer} clients then fall back to plaintext without
 * a word), so {@code check}, start-up and reload prove the pair: the key signs a random challenge
 * that the certificate's public key must verify.
 *
 * <p>Extends {@link SslContext} only to reach its PEM readers (protected static), the same ones
 * the server context uses; it is never instantiated.
 */
public abstract class KeyPairCheck extends SslContext {
    private KeyPairCheck() {
    }

    /**
     * @throws GeneralSecurityException saying so when the key does not match the certificate, or
     *     when either cannot be read
     */
    public static void requireMatch(File certFile, File keyFile) throws GeneralSecurityException {
        X509Certificate[] chain = toX509Certificates(certFile);
        if (chain == null || chain.length == 0) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        PrivateKey key;
        try {
            key = toPrivateKey(keyFile, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot read the key " + keyFile + ": " + e.getMessage(), e);
        }
        if (!matches(chain[0].getPublicKey(), key)) {
            throw new GeneralSecurityException("the key " + keyFile + " does not belong to the certificate " + certFile
                    + " (" + chain[0].getSubjectX500Principal().getName() + ")");
        }
    }

    static boolean matches(PublicKey publicKey, PrivateKey key) throws GeneralSecurityException {
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            return true; // a key type we cannot sign with here: the TLS stack is the judge
        }
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        return verifier.verify(signature);
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519".equals(keyAlgorithm) ? "Ed25519" : "EdDSA";
            case "Ed448" -> "Ed448";
            default -> null;
        };
    }
}
