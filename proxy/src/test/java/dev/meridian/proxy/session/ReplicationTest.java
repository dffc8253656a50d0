package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.Preference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Walsender startups need a rule with {@code replication: true}. */
class ReplicationTest {
    private static final DatabaseRule DEFAULT = new DatabaseRule("*", List.of(), Preference.NEAREST, null);
    private static final DatabaseRule CDC = new DatabaseRule("cdc", List.of(), Preference.NEAREST, null, true);

    @ParameterizedTest
    @ValueSource(strings = {"database", "true", "on", "yes", "1", "TRUE", "Database", "bogus"})
    void replicationValuesAreRefusedByDefaultAndAllowedByTheRule(String value) {
        Map<String, String> params = Map.of("user", "u", "replication", value);
        assertThat(Replication.requested(params)).isTrue();
        assertThatThrownBy(() -> Replication.check(params, DEFAULT))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("28000");
                    assertThat(e.getMessage()).isEqualTo("replication connections are not allowed to this database:"
                            + " databases.\"*\".replication is not true");
                });
        assertThatCode(() -> Replication.check(params, CDC)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "off", "no", "0", "OFF"})
    void falseValuesAreOrdinarySessions(String value) {
        Map<String, String> params = Map.of("user", "u", "replication", value);
        assertThat(Replication.requested(params)).isFalse();
        assertThatCode(() -> Replication.check(params, DEFAULT)).doesNotThrowAnyException();
        assertThat(Replication.requested(Map.of("user", "u"))).isFalse();
    }
}
