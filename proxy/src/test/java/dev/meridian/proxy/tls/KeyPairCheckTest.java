package dev.meridian.proxy.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.TestCertificates;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPairCheckTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir.resolve("pki"), "Test CA");
    }

    @Test
    void aCertificateAndItsOwnKeyMatch() {
        assertThatCode(() -> KeyPairCheck.requireMatch(certs.serverCert().toFile(), certs.serverKey().toFile()))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherKeyIsRefusedNamingBothFiles() {
        Path otherKey = certs.dir().resolve("ca.key");
        assertThatThrownBy(() -> KeyPairCheck.requireMatch(certs.serverCert().toFile(), otherKey.toFile()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("the key " + otherKey + " does not belong to the certificate " + certs.serverCert())
                .hasMessageContaining("CN=localhost");
    }

    @Test
    void aKeyFileThatIsNoKeyIsRefused() {
        assertThatThrownBy(() -> KeyPairCheck.requireMatch(certs.serverCert().toFile(), certs.serverCert().toFile()))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
