package dev.meridian.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.cli.Main;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.testing.TestCertificates;
import dev.meridian.proxy.tls.ClientTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate with a key that is not its own: Java's TLS stack would take the pair and fail
 * every handshake later, so {@code check} refuses it and a reload keeps the old pair serving.
 */
class TlsKeyMismatchTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir.resolve("pki"), "Test CA");
    }

    private static Path config(String name, Path key) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                listen: { host: 127.0.0.1, port: 15432 }
                admin: { host: 127.0.0.1, port: 19187 }
                region: iad
                auth: { method: trust }
                tls: { cert: "%s", key: "%s", mode: prefer }
                backends:
                  - { name: iad-1, region: iad, host: 127.0.0.1, port: 1 }
                databases:
                  "*": { regions: [iad] }
                """.formatted(certs.serverCert(), key));
        return file;
    }

    @Test
    void checkRefusesAKeyThatIsNotTheCertificates() throws Exception {
        Path file = config("mismatch.yaml", certs.dir().resolve("ca.key"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.execute("check", "-c", file.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .startsWith("tls.key: the key " + certs.dir().resolve("ca.key") + " does not belong to the certificate")
                .doesNotContain("\n");
    }

    @Test
    void checkAcceptsTheMatchingPair() throws Exception {
        assertThat(Main.execute("check", "-c", config("match.yaml", certs.serverKey()).toString())).isZero();
    }

    @Test
    void aReloadToAMismatchedPairIsRefusedAndTheOldPairKeepsServing() throws Exception {
        Path file = config("reload.yaml", certs.serverKey());
        MeridianServer server = new MeridianServer(ConfigLoader.load(file));
        try {
            ClientTls before = server.context().clientTls();
            config("reload.yaml", certs.dir().resolve("ca.key"));
            ReloadOutcome outcome = new ConfigReloader(file, server).reload();
            assertThat(outcome.applied()).isFalse();
            assertThat(String.join("\n", outcome.messages())).contains("does not belong to the certificate");
            assertThat(server.context().clientTls()).isSameAs(before);
        } finally {
            server.close();
        }
    }
}
