package dev.meridian.proxy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, made
 * at test time with the {@code openssl} command line (so no private key is ever committed).
 */
public record TestCertificates(Path dir, Path caCert, Path serverCert, Path serverKey) {

    /** Makes a CA named {@code caName} and a server certificate it signed, in {@code dir}. */
    public static TestCertificates create(Path dir, String caName) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.crt");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.crt");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + caName,
                "-keyout", caKey.toString(), "-out", caCert.toString());
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", key.toString(), "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-sha256", "-extfile", ext.toString(), "-out", cert.toString());
        return new TestCertificates(dir, caCert, cert, key);
    }

    private static void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessRunner.asCurrentUser().runChecked(command);
    }
}
