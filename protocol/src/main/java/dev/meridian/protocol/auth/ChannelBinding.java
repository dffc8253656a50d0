package dev.meridian.protocol.auth;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * SCRAM channel binding for one connection: either none, or {@code tls-server-end-point} (RFC
 * 5929 section 4) with the hash of the TLS server certificate, the only type PostgreSQL
 * supports. Immutable.
 */
public final class ChannelBinding {

    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    private static final ChannelBinding NONE = new ChannelBinding(new byte[0]);

    private final byte[] data;

    private ChannelBinding(byte[] data) {
        this.data = data;
    }

    /** No channel binding: the connection is not on TLS, or binding is disabled. */
    public static ChannelBinding none() {
        return NONE;
    }

    /** {@code tls-server-end-point} with an already computed certificate hash. */
    public static ChannelBinding tlsServerEndPoint(byte[] certificateHash) {
        Objects.requireNonNull(certificateHash, "certificateHash");
        if (certificateHash.length == 0) {
            throw new IllegalArgumentException("certificate hash is empty");
        }
        return new ChannelBinding(certificateHash.clone());
    }

    /**
     * {@code tls-server-end-point} for the TLS server's certificate: the proxy's own certificate
     * when it is the SCRAM server, the backend's certificate when it is the SCRAM client.
     *
     * @throws IllegalArgumentException if the certificate's signature algorithm has no usable
     *     hash (for example Ed25519), as PostgreSQL also refuses
     */
    public static ChannelBinding tlsServerEndPoint(X509Certificate certificate) {
        return new ChannelBinding(certificateHash(certificate));
    }

    /**
     * The RFC 5929 section 4.1 hash: the certificate's signature hash, except that MD5 and SHA-1
     * are replaced by SHA-256. Same rule as {@code be_tls_get_certificate_hash()} in PostgreSQL.
     */
    public static byte[] certificateHash(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        try {
            String digest = signatureDigest(certificate);
            return MessageDigest.getInstance(digest).digest(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("certificate signature hash is not available", e);
        }
    }

    public boolean isEnabled() {
        return data.length > 0;
    }

    /** The channel-binding type name, or {@code null} when binding is not enabled. */
    public String type() {
        return isEnabled() ? TLS_SERVER_END_POINT : null;
    }

    /** The channel-binding data (the certificate hash); empty when not enabled. */
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String toString() {
        return isEnabled() ? "ChannelBinding[" + TLS_SERVER_END_POINT + "]" : "ChannelBinding[none]";
    }

    private static String signatureDigest(X509Certificate certificate)
            throws GeneralSecurityException {
        String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        String hash = algorithm.equals("RSASSA-PSS")
                ? pssDigest(certificate)
                : hashPart(algorithm);
        return switch (hash) {
            case "MD5", "SHA1", "SHA-1" -> "SHA-256";
            case "SHA224", "SHA256", "SHA384", "SHA512" -> "SHA-" + hash.substring(3);
            case "SHA-224", "SHA-256", "SHA-384", "SHA-512",
                    "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512" -> hash;
            default -> throw new IllegalArgumentException(
                    "no tls-server-end-point hash for certificate signature algorithm " + algorithm);
        };
    }

    /** "SHA256WITHRSA" → "SHA256"; algorithms without a separate hash (Ed25519) have none. */
    private static String hashPart(String algorithm) {
        int with = algorithm.indexOf("WITH");
        return with > 0 ? algorithm.substring(0, with) : "";
    }

    /** RSASSA-PSS names its hash in the signature parameters, not in the algorithm name. */
    private static String pssDigest(X509Certificate certificate) throws GeneralSecurityException {
        byte[] encoded = certificate.getSigAlgParams();
        if (encoded == null) {
            throw new IllegalArgumentException("RSASSA-PSS certificate lacks signature parameters");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
        try {
            parameters.init(encoded);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("RSASSA-PSS signature parameters are malformed", e);
        }
        PSSParameterSpec spec = parameters.getParameterSpec(PSSParameterSpec.class);
        return spec.getDigestAlgorithm().toUpperCase(Locale.ROOT);
    }
}
