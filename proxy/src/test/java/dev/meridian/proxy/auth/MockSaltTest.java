package dev.meridian.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.auth.ScramVerifier;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An unknown user's mock salt is the same on every instance and after a restart. */
class MockSaltTest {
    private static MeridianConfig config(String password) {
        String credentials = password == null ? "" : ", user: app, password: \"" + password + "\"";
        return ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: 127.0.0.1%s } ]
                databases: { "*": {} }
                """.formatted(credentials), Map.of(), Path.of("."));
    }

    @Test
    void sameConfiguredSecretsGiveTheSameSaltPerUser() {
        byte[] one = MockSalt.secret(config("s3cret"));
        byte[] other = MockSalt.secret(config("s3cret"));
        assertThat(one).hasSize(32).isEqualTo(other);
        assertThat(ScramVerifier.mock("mallory", one).salt()).isEqualTo(ScramVerifier.mock("mallory", other).salt());
        assertThat(ScramVerifier.mock("mallory", one).salt()).isNotEqualTo(ScramVerifier.mock("eve", one).salt());
    }

    @Test
    void otherSecretsOrNoneGiveAnotherSecret() {
        assertThat(MockSalt.secret(config("s3cret"))).isNotEqualTo(MockSalt.secret(config("other")));
        assertThat(MockSalt.secret(config(null))).hasSize(32).isNotEqualTo(MockSalt.secret(config(null)));
    }
}
