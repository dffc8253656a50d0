package dev.meridian.protocol.message;

import static dev.meridian.protocol.message.StartupPacketEncodingTest.ordered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupMessageTest {

    @Test
    void splitsVersionIntoMajorAndMinor() {
        StartupMessage m = new StartupMessage(3 << 16 | 2, Map.of());

        assertThat(m.majorVersion()).isEqualTo(3);
        assertThat(m.minorVersion()).isEqualTo(2);
    }

    @Test
    void databaseIsTheDatabaseParameterWhenSet() {
        assertThat(message("user", "alice", "database", "shop").database()).isEqualTo("shop");
    }

    @Test
    void databaseDefaultsToUserWhenAbsent() {
        assertThat(message("user", "alice").database()).isEqualTo("alice");
    }

    @Test
    void databaseDefaultsToUserWhenEmpty() {
        assertThat(message("user", "alice", "database", "").database()).isEqualTo("alice");
    }

    @Test
    void userAndDatabaseAreNullWhenNeitherIsSent() {
        StartupMessage m = message("application_name", "psql");

        assertThat(m.user()).isNull();
        assertThat(m.database()).isNull();
    }

    @Test
    void toStringNamesParametersButPrintsNoValue() {
        StartupMessage m = message("user", "alice", "options", "-c password=hunter2", "database", "secretdb");

        assertThat(m.toString())
                .isEqualTo("StartupMessage[3.0, parameters=[user, options, database]]")
                .doesNotContain("alice", "hunter2", "secretdb");
    }

    @Test
    void keepsParameterOrder() {
        StartupMessage m = message("z", "1", "a", "2", "m", "3");

        assertThat(m.parameters().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void parametersCannotBeModified() {
        StartupMessage m = message("user", "alice");

        assertThatThrownBy(() -> m.parameters().put("user", "mallory")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesTheParameterMapItIsGiven() {
        Map<String, String> params = new LinkedHashMap<>(ordered("user", "alice"));
        StartupMessage m = new StartupMessage(StartupMessage.PROTOCOL_3_0, params);

        params.put("user", "mallory");

        assertThat(m.user()).isEqualTo("alice");
    }

    @Test
    void withParametersKeepsTheVersionAndReplacesParameters() {
        StartupMessage m = new StartupMessage(3 << 16 | 2, ordered("user", "alice", "region", "fra"));

        StartupMessage backend = m.withParameters(ordered("user", "app_rw", "database", "shop_eu"));

        assertThat(backend.protocolVersion()).isEqualTo(3 << 16 | 2);
        assertThat(backend.parameters()).containsExactly(Map.entry("user", "app_rw"), Map.entry("database", "shop_eu"));
        assertThat(m.user()).isEqualTo("alice");
    }

    private static StartupMessage message(String... kv) {
        return new StartupMessage(StartupMessage.PROTOCOL_3_0, ordered(kv));
    }
}
