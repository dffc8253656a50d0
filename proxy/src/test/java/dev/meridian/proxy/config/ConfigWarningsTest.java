package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigWarningsTest {

    @Test
    void aPlainConfigurationHasNoWarnings() {
        assertThat(ConfigWarnings.of(TestYaml.base().load())).isEmpty();
    }

    @Test
    void authQueryWhoseBackendsHaveNoUserFailsEveryLogin() {
        var config = TestYaml.base()
                .set("backends", "[ { name: iad-1, region: iad, host: h1 },"
                        + " { name: lhr-1, region: lhr, host: h2, user: meridian, password: x } ]")
                .set("databases", "{ app: { regions: [iad] }, other: { regions: [lhr] } }")
                .set("auth", "{ method: scram-sha-256, auth_query: \"SELECT usename, passwd FROM pg_shadow WHERE usename=$1\" }")
                .load();
        assertThat(ConfigWarnings.of(config)).singleElement().asString()
                .startsWith("databases.app: auth.auth_query runs as a backend's configured user, but no backend in regions iad has a user")
                .contains("every login to this database will fail");
    }

    @Test
    void withAUsersFileOnlyTheUsersNotInItFail() {
        var config = TestYaml.base()
                .set("auth", "{ method: trust, users_file: /dev/null, auth_query: \"SELECT 1 WHERE $1 = ''\" }")
                .load();
        assertThat(ConfigWarnings.of(config)).singleElement().asString()
                .contains("every login of a user not in auth.users_file");
    }

    @Test
    void onlyReplicasRefuseReadWriteSessions() {
        var config = TestYaml.base()
                .set("backends", "[ { name: iad-r, region: iad, host: h1, role: replica } ]")
                .load();
        assertThat(ConfigWarnings.of(config)).singleElement().asString()
                .contains("\"*\": every backend in any region has role: replica")
                .contains("-c meridian.target=read-only");
    }

    @Test
    void preferLocalOutsideTheRulesRegionsDoesNothing() {
        var config = TestYaml.base()
                .set("backends", "[ { name: iad-1, region: iad, host: h1 }, { name: lhr-1, region: lhr, host: h2 } ]")
                .set("databases", "{ eu: { regions: [lhr], prefer: local } }")
                .load();
        assertThat(ConfigWarnings.of(config)).singleElement().asString()
                .startsWith("databases.eu.prefer: local has no effect on this instance: its region iad");
    }
}
