package dev.meridian.proxy.e2e;

import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.ProcessRunner;
import dev.meridian.proxy.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Turns TLS on in a running test server (ssl can be enabled with a configuration reload). */
final class BackendTlsSetup {
    private BackendTlsSetup() {
    }

    static void enable(PgServer server, TestCertificates certs) throws IOException {
        Path cert = server.dataDir().resolve("meridian-test.crt");
        Path key = server.dataDir().resolve("meridian-test.key");
        Files.copy(certs.serverCert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certs.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
        if (ProcessRunner.isRoot()) {
            ProcessRunner.asCurrentUser().runChecked("chown", "postgres:postgres", cert.toString(), key.toString());
        }
        ProcessRunner.asCurrentUser().runChecked("chmod", "600", key.toString());
        server.execute("postgres",
                "ALTER SYSTEM SET ssl_cert_file = '" + cert + "'",
                "ALTER SYSTEM SET ssl_key_file = '" + key + "'",
                "ALTER SYSTEM SET ssl = on",
                "SELECT pg_reload_conf()");
    }

    /** Puts a pg_hba.conf line first (e.g. md5 for one user) and reloads. */
    static void prependHba(PgServer server, String line) throws IOException {
        Path hba = server.dataDir().resolve("pg_hba.conf");
        Files.writeString(hba, line + "\n" + Files.readString(hba));
        server.execute("postgres", "SELECT pg_reload_conf()");
    }
}
