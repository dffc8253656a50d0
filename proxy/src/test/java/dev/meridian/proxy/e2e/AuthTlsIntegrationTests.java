package dev.meridian.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.testing.PgEndpoint;
import dev.meridian.proxy.testing.PgServer;
import dev.meridian.proxy.testing.PgTools;
import dev.meridian.proxy.testing.PostgresExtension;
import dev.meridian.proxy.testing.ProcessResult;
import dev.meridian.proxy.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * Users known to Meridian only by verifier log in through TLS with real psql and pgjdbc and
 * land on a TLS backend as themselves, with no password in the proxy's configuration.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthTlsIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder().server("iad").build();

    static final String CONFIG = """
            listen: { host: 127.0.0.1, port: "${PROXY_PORT}" }
            admin: { host: 127.0.0.1, port: "${ADMIN_PORT}" }
            region: iad
            tls: { cert: "${CERT}", key: "${KEY}", mode: "${TLS_MODE}" }
            auth: { users_file: "${USERS}", method: "${METHOD}" }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: "${IAD_PORT}", tls: { mode: verify-full, ca: "${CA}" } }
              - { name: iad-wrong-ca, region: lhr, host: 127.0.0.1, port: "${IAD_PORT}", tls: { mode: verify-full, ca: "${OTHER_CA}" } }
            databases:
              wrongca: { regions: [lhr] }
              "*": { regions: [iad] }
            """;

    static TestCertificates certs;
    static TestCertificates otherCerts;
    static Map<String, String> env;
    static ProxyFixture scramProxy;
    static ProxyFixture md5Proxy;
    static ProxyFixture requireProxy;

    /** Certificates of the whole class; JUnit deletes the folder (no meridian-* left in /tmp). */
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCertificates.create(dir.resolve("good"), "Meridian Test CA");
        TestCertificates other = TestCertificates.create(dir.resolve("other"), "Some Other CA");
        otherCerts = other;
        PgServer iad = PG.server("iad");
        BackendTlsSetup.enable(iad, certs);
        BackendTlsSetup.prependHba(iad, "host all bob 127.0.0.1/32 md5");
        iad.execute("postgres",
                "CREATE ROLE alice LOGIN PASSWORD 'alice-secret'",
                "CREATE ROLE carol LOGIN PASSWORD 'carol-plain'",
                "SET password_encryption = 'md5'",
                "CREATE ROLE bob LOGIN PASSWORD 'bob-secret'");
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "; users known by verifier only\n"
                + "\"alice\" \"" + secretOf(iad, "alice") + "\"\n"
                + "\"bob\" \"" + secretOf(iad, "bob") + "\"\n"
                + "\"carol\" \"carol-plain\"\n");
        env = new HashMap<>(Map.of("CERT", certs.serverCert().toString(), "KEY", certs.serverKey().toString(),
                "CA", certs.caCert().toString(), "OTHER_CA", other.caCert().toString(), "USERS", users.toString(),
                "IAD_PORT", Integer.toString(iad.port()), "TLS_MODE", "prefer", "METHOD", "scram-sha-256"));
        scramProxy = ProxyFixture.start(CONFIG, env);
        md5Proxy = ProxyFixture.start(CONFIG, with("METHOD", "md5"));
        requireProxy = ProxyFixture.start(CONFIG, with("TLS_MODE", "require"));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new HashMap<>(env);
        m.put(key, value);
        return m;
    }

    private static String secretOf(PgServer server, String role) {
        return server.query("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'");
    }

    @AfterAll
    static void tearDown() {
        for (ProxyFixture p : new ProxyFixture[] {scramProxy, md5Proxy, requireProxy}) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static final String WHO = "SELECT current_user || '|' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private static ProcessResult psql(ProxyFixture proxy, String user, String password, String conninfoExtra) {
        String conninfo = "host=127.0.0.1 port=" + proxy.port() + " user=" + user + " dbname=postgres " + conninfoExtra;
        return PgTools.local().psqlRaw(new PgEndpoint("127.0.0.1", proxy.port()), user, password, "postgres",
                "-X", "-At", "-w", "-d", conninfo, "-c", WHO);
    }

    @Test
    void psqlVerifyFullLogsInByVerifierAndLandsAsThemselfOverTlsBackend() {
        ProcessResult r = psql(scramProxy, "alice", "alice-secret",
                "sslmode=verify-full sslrootcert=" + certs.caCert());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("alice|true");
    }

    @Test
    void psqlWithChannelBindingRequired() {
        ProcessResult r = psql(scramProxy, "alice", "alice-secret",
                "sslmode=verify-full sslrootcert=" + certs.caCert() + " channel_binding=require");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("alice|true");
    }

    @Test
    void plainPasswordUserIsLoggedInWithThatPassword() {
        ProcessResult r = psql(scramProxy, "carol", "carol-plain", "sslmode=require");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("carol|true");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        ProcessResult wrong = psql(scramProxy, "alice", "not-it", "sslmode=require");
        ProcessResult unknown = psql(scramProxy, "mallory", "whatever", "sslmode=require");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("FATAL:  password authentication failed for user \"alice\"");
        assertThat(unknown.stderr()).contains("FATAL:  password authentication failed for user \"mallory\"");
    }

    @Test
    void requireModeRefusesPlaintext() {
        ProcessResult r = psql(requireProxy, "alice", "alice-secret", "sslmode=disable");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("this proxy requires TLS");
        ProcessResult tls = psql(requireProxy, "alice", "alice-secret", "sslmode=require");
        assertThat(tls.exitCode()).as(tls.stderr()).isZero();
    }

    @Test
    void pgjdbcScramOverVerifyFullAndInPlaintext() throws Exception {
        assertThat(pgjdbc(scramProxy, "alice", "alice-secret", Map.of("sslmode", "verify-full",
                "sslrootcert", certs.caCert().toString()))).isEqualTo("alice|true");
        assertThat(pgjdbc(scramProxy, "alice", "alice-secret", Map.of("sslmode", "disable"))).isEqualTo("alice|true");
    }

    @Test
    void pgjdbcDirectTlsNegotiation() throws Exception {
        assertThat(pgjdbc(scramProxy, "alice", "alice-secret", Map.of("sslmode", "verify-full",
                "sslrootcert", certs.caCert().toString(), "sslNegotiation", "direct"))).isEqualTo("alice|true");
    }

    @Test
    void pgjdbcMd5UserPassesItsHashToAnMd5Backend() throws Exception {
        assertThat(pgjdbc(md5Proxy, "bob", "bob-secret", Map.of("sslmode", "disable"))).isEqualTo("bob|true");
        assertThatThrownBy(() -> pgjdbc(md5Proxy, "bob", "wrong", Map.of("sslmode", "disable")))
                .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    /**
     * Under md5 every user is asked for md5, so that the challenge does not tell how (or whether)
     * a user is stored (issue #16); a SCRAM verifier cannot check an md5 answer, so a
     * SCRAM-stored user fails like a wrong password and needs method scram-sha-256.
     */
    @Test
    void scramStoredUserIsAskedForMd5UnderMd5AndRefusedLikeAWrongPassword() throws Exception {
        assertThatThrownBy(() -> pgjdbc(md5Proxy, "alice", "alice-secret", Map.of("sslmode", "disable")))
                .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThat(pgjdbc(scramProxy, "alice", "alice-secret", Map.of("sslmode", "disable"))).isEqualTo("alice|true");
    }

    @Test
    void backendCertificateSignedByAnotherCaIsRefusedClearly() {
        assertThatThrownBy(() -> pgjdbcDb(scramProxy, "wrongca", "alice", "alice-secret", Map.of("sslmode", "disable")))
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("08006");
                    assertThat(e.getMessage()).contains("TLS with backend iad-wrong-ca failed");
                });
    }

    @Test
    void certificateFilesAreReloadedWithoutRestart(@TempDir Path reloadDir) throws Exception {
        Path dir = reloadDir;
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(certs.serverCert(), cert);
        Files.copy(certs.serverKey(), key);
        Map<String, String> e = with("CERT", cert.toString());
        e.put("KEY", key.toString());
        try (ProxyFixture proxy = ProxyFixture.start(CONFIG, e)) {
            String good = "sslmode=verify-full sslrootcert=" + certs.caCert();
            String other = "sslmode=verify-full sslrootcert=" + otherCerts.caCert();
            assertThat(psql(proxy, "alice", "alice-secret", good).exitCode()).isZero();
            Files.copy(otherCerts.serverCert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(otherCerts.serverKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().plusSeconds(5));
            Files.setLastModifiedTime(cert, later);
            Files.setLastModifiedTime(key, later);
            Thread.sleep(1100);
            assertThat(psql(proxy, "alice", "alice-secret", good).exitCode()).isNotZero();
            ProcessResult r = psql(proxy, "alice", "alice-secret", other);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
        }
    }

    @Test
    void sslRequestIsAnsweredS() throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", scramProxy.port())) {
            c.send(RawClient.sslRequest());
            assertThat(c.readByte()).isEqualTo('S');
        }
    }

    @Test
    void directTlsWithoutAlpnIsRefused() throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                .createSocket("127.0.0.1", scramProxy.port())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            var in = new java.io.DataInputStream(socket.getInputStream());
            assertThat((char) in.read()).isEqualTo('E');
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            String fields = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(fields).contains("08P01").contains("without ALPN");
        }
    }

    /** The ALPN check is what is under test here, not the certificate. */
    private static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    private static String pgjdbc(ProxyFixture proxy, String user, String password, Map<String, String> props)
            throws Exception {
        return pgjdbcDb(proxy, "postgres", user, password, props);
    }

    private static String pgjdbcDb(ProxyFixture proxy, String db, String user, String password,
                                   Map<String, String> props) throws Exception {
        Properties p = new Properties();
        p.putAll(props);
        p.setProperty("user", user);
        p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl(db), p);
             ResultSet rs = c.createStatement().executeQuery(WHO)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
