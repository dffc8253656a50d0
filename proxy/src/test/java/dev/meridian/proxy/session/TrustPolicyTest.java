package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.AuthConfig;
import dev.meridian.proxy.config.AuthMethod;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What trust admits, and the line {@code meridian check} prints about it. */
class TrustPolicyTest {
    @Test
    void trustWithAUsersFileAdmitsListedUsersOnly() {
        AuthConfig auth = new AuthConfig(Path.of("users.txt"), null, AuthMethod.TRUST);
        assertThat(TrustPolicy.listedUsersOnly(auth)).isTrue();
        assertThat(TrustPolicy.describe(auth))
                .isEqualTo("auth: trust: only users listed in auth.users_file are admitted, without a password");
    }

    @Test
    void trustWithAnAuthQueryAdmitsUsersItFinds() {
        AuthConfig auth = new AuthConfig(null, "SELECT usename, passwd FROM pg_shadow WHERE usename = $1", AuthMethod.TRUST);
        assertThat(TrustPolicy.listedUsersOnly(auth)).isTrue();
        assertThat(TrustPolicy.describe(auth)).contains("auth.auth_query");
    }

    @Test
    void trustAloneAdmitsAnyNameAndSaysSo() {
        AuthConfig auth = new AuthConfig(null, null, AuthMethod.TRUST);
        assertThat(TrustPolicy.listedUsersOnly(auth)).isFalse();
        assertThat(TrustPolicy.describe(auth)).contains("ANY user name is admitted");
    }

    @Test
    void passwordMethodsSaySo() {
        assertThat(TrustPolicy.describe(new AuthConfig(Path.of("u"), null, AuthMethod.SCRAM_SHA_256)))
                .isEqualTo("auth: scram-sha-256: every client proves its password");
    }
}
