package dev.meridian.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * tls-server-end-point hashes (RFC 5929 section 4.1). The certificates were made with OpenSSL
 * and the expected hashes computed with {@code openssl x509 -outform der | sha256sum} (or
 * sha384sum), independently of this code.
 */
class ChannelBindingTest {

    private static final String ECDSA_SHA256 = "MIIBeDCCAR+gAwIBAgIUJsYUqaogLS0b17geBBTXwaU/IGUwCgYIKoZIzj0EAwIw"
            + "ETEPMA0GA1UEAwwGc2hhMjU2MCAXDTI2MTEyNDA0MjExNFoYDzIxMjYxMDMxMDQy"
            + "MTE0WjARMQ8wDQYDVQQDDAZzaGEyNTYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC"
            + "AATibgq+ws+TYuBqZZxEKVzRhEvQC1e5LO26mlerUgloEIaUlhUsEqiQMd2u7c/d"
            + "NQKT4sxeSDk1/LDN7Fu4x+z7o1MwUTAdBgNVHQ4EFgQUgrFj6WYST08msnTe48zq"
            + "cubzyS0wHwYDVR0jBBgwFoAUgrFj6WYST08msnTe48zqcubzyS0wDwYDVR0TAQH/"
            + "BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBQ8E2M90825EX9RvAyjqRW7ggFZSIZ"
            + "Uj1pVPxphD6XQwIgCpt9c2fUwe78g0mVT3domfHkncBnc5OIVOIIufCJZzM=";
    private static final String ECDSA_SHA384 = "MIIBtTCCATygAwIBAgIUeLuKjL9DXEqReDyV2svms633j8UwCgYIKoZIzj0EAwMw"
            + "ETEPMA0GA1UEAwwGc2hhMzg0MCAXDTI2MTEyNDA0MjExNFoYDzIxMjYxMDMxMDQy"
            + "MTE0WjARMQ8wDQYDVQQDDAZzaGEzODQwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAARC"
            + "halTNHHuXIA+nbpRlbJd2Ugz1HHyRUz6k/1tVR/u7X1vcv7z5XyBNUlf7pw0NPLC"
            + "megEGycu+F28EMv0BXTiKREgfoM4AAx3Nfa9sbtGbll5wUjUu2CtXqjRO1q4V2ij"
            + "UzBRMB0GA1UdDgQWBBQvL7/H3wyWWZKA8k3OwbznMWqmeTAfBgNVHSMEGDAWgBQv"
            + "L7/H3wyWWZKA8k3OwbznMWqmeTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMD"
            + "A2cAMGQCMHn4UOYZB7PwxWSvKt7VIuTQTCm5fTa7H1MyQ50mg4Etr+0Z46wOrLwI"
            + "Aeji4PKDPgIwDDx3mRIh53UUm6YtKnptnxJyJIetaQwxFrDiAmO3SFsrDHP8xa1C"
            + "5L/A7/Fs8R3R";
    private static final String ECDSA_SHA1 = "MIIBdDCCARqgAwIBAgIUTZFgMzWb9FKrd/ULsf/v7a2bgC4wCQYHKoZIzj0EATAP"
            + "MQ0wCwYDVQQDDARzaGExMCAXDTI2MTEyNDA0MjExNFoYDzIxMjYxMDMxMDQyMTE0"
            + "WjAPMQ0wCwYDVQQDDARzaGExMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJCWK"
            + "7Zrgit4RP7qhy49c1CIL59XMyP0YPzTmBvXqLyufMzfUA3UZ/GCPFyefFGHztc5z"
            + "PE4Q1hamjI6bPasMaqNTMFEwHQYDVR0OBBYEFO2UirbfEpk8jmQGG3ZXtVjAZPM0"
            + "MB8GA1UdIwQYMBaAFO2UirbfEpk8jmQGG3ZXtVjAZPM0MA8GA1UdEwEB/wQFMAMB"
            + "Af8wCQYHKoZIzj0EAQNJADBGAiEAqH6puXIBJA0rOYI9EtS2NM6cwuux+To3IGbC"
            + "hc9WSHICIQC8YRyO4mOlAcANViiso1azMWpu32NtFqR7pnszB2ynnA==";
    private static final String ED25519 = "MIIBMDCB46ADAgECAhQyOhhfRwbN0iStOAz6AIhvFMPh9TAFBgMrZXAwDTELMAkG"
            + "A1UEAwwCZWQwIBcNMjYxMTI0MDQyMTE0WhgPMjEyNjEwMzEwNDIxMTRaMA0xCzAJ"
            + "BgNVBAMMAmVkMCowBQYDK2VwAyEANAQCwkKJT5wtIjEIrYaexkqjBuDECtqQScwl"
            + "4mFSZBqjUzBRMB0GA1UdDgQWBBS26tKAbgyJS4ZPnwvQVUqbtASB8zAfBgNVHSME"
            + "GDAWgBS26tKAbgyJS4ZPnwvQVUqbtASB8zAPBgNVHRMBAf8EBTADAQH/MAUGAytl"
            + "cANBAMVhWaWyCaH2pq1fVKvTlI9jzA2PftrKbBCjucXh3oIkqTNF/ON54Sa1PuG3"
            + "Zb3VS+853y+itGCVdyNpDozWrwY=";
    private static final String RSA_PSS_SHA384 = "MIICYjCCAZegAwIBAgIUcqos8JTQ5u8am10yp0B2d7vpn9owQQYJKoZIhvcNAQEK"
            + "MDSgDzANBglghkgBZQMEAgIFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgIF"
            + "AKIDAgEwMA4xDDAKBgNVBAMMA3BzczAgFw0yNjExMjQwNDIxMThaGA8yMTI2MTAz"
            + "MTA0MjExOFowDjEMMAoGA1UEAwwDcHNzMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCB"
            + "iQKBgQC1/9wrBfJg2DA1iDhKr64fTPcDbb0g0ay2TMadZEcUNB2Z3cvUzfUdv649"
            + "NZ2HWM6qWQpcLEDRMwXe+IdlodRjUcqiq6BauebMnlTZD2Dex9sXjxgphC/lek55"
            + "asBSEUvZrbQHymOv89O7Ln7vhKcrbe9snNwtSOYW3mTsa5o8bwIDAQABo1MwUTAd"
            + "BgNVHQ4EFgQUDuyqkssNuGinOeaxjvtFmbR8AnwwHwYDVR0jBBgwFoAUDuyqkssN"
            + "uGinOeaxjvtFmbR8AnwwDwYDVR0TAQH/BAUwAwEB/zBBBgkqhkiG9w0BAQowNKAP"
            + "MA0GCWCGSAFlAwQCAgUAoRwwGgYJKoZIhvcNAQEIMA0GCWCGSAFlAwQCAgUAogMC"
            + "ATADgYEAjsXFjyK2j6D9FrGlsVAxKhi5a+Wa7Ks9IE2J84wgYOVpCRP2tKpne+gE"
            + "8zvHq3ILW/qcnPYCVSqy7mYqFReUhmAdBcnTF3n597nCKqfBM0ZczjLMWEP2KMoc"
            + "5xrwyNkZIV6WcLcLKDm1/z9xOJ1/2Jxt+0svnbBREabcFl+43Ys=";

    private static X509Certificate certificate(String base64Der) throws Exception {
        byte[] der = Base64.getDecoder().decode(base64Der);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static String hashHex(String base64Der) throws Exception {
        return HexFormat.of().formatHex(ChannelBinding.certificateHash(certificate(base64Der)));
    }

    @Test
    void sha256SignedCertificateIsHashedWithSha256() throws Exception {
        assertThat(hashHex(ECDSA_SHA256))
                .isEqualTo("b195186037194ba93a034d8138089635f0d8b7f9b09a9b9e21703c31178c282a");
    }

    @Test
    void sha384SignedCertificateIsHashedWithSha384() throws Exception {
        assertThat(hashHex(ECDSA_SHA384)).isEqualTo("ff93b0ba3a0992239bb085e4aa33ad1595a45f0c"
                + "668f51815b8a257e5f5ff2a44155b7fc983ba9f126a6fbebf2c2176c");
    }

    @Test
    void sha1SignedCertificateIsHashedWithSha256() throws Exception {
        assertThat(hashHex(ECDSA_SHA1))
                .isEqualTo("7fa7d009cc8348eb6950548e2dfb8575a581761e00ee939ba4ae4a96ed31b9e3");
    }

    @Test
    void rsaPssCertificateIsHashedWithItsParameterHash() throws Exception {
        assertThat(hashHex(RSA_PSS_SHA384)).isEqualTo("8a1f245506360810349c136f34032ad84700def6"
                + "2d066a628a327ae18fd45ae98d6cb02d095f05bdd031970edd5d9f60");
    }

    @Test
    void ed25519CertificateHasNoEndPointHash() throws Exception {
        X509Certificate ed25519 = certificate(ED25519);

        assertThatIllegalArgumentException().isThrownBy(() -> ChannelBinding.tlsServerEndPoint(ed25519));
    }

    @Test
    void bindingFromCertificateCarriesTheHash() throws Exception {
        ChannelBinding binding = ChannelBinding.tlsServerEndPoint(certificate(ECDSA_SHA256));

        assertThat(binding.isEnabled()).isTrue();
        assertThat(binding.type()).isEqualTo("tls-server-end-point");
        assertThat(HexFormat.of().formatHex(binding.data())).startsWith("b1951860");
    }

    @Test
    void noneIsDisabled() {
        assertThat(ChannelBinding.none().isEnabled()).isFalse();
        assertThat(ChannelBinding.none().type()).isNull();
    }

    @Test
    void emptyHashIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ChannelBinding.tlsServerEndPoint(new byte[0]));
    }
}
