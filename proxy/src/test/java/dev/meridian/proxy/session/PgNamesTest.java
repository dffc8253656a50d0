package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names cut to NAMEDATALEN - 1 bytes, as PostgreSQL cuts the startup packet's names. */
class PgNamesTest {
    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void shortNamesAreKept() {
        assertThat(PgNames.truncate("orders")).isEqualTo("orders");
        assertThat(PgNames.truncate("a".repeat(63))).isEqualTo("a".repeat(63));
        assertThat(PgNames.truncate(null)).isNull();
    }

    @Test
    void asciiIsCutAtByte63() {
        assertThat(PgNames.truncate("a".repeat(63) + "b")).isEqualTo("a".repeat(63));
        assertThat(PgNames.truncate("x".repeat(500))).hasSize(63);
    }

    @ParameterizedTest
    @ValueSource(strings = {"é", "€", "😀"})
    void multibyteCharactersAreNeverSplit(String ch) {
        for (int prefix = 55; prefix <= 63; prefix++) {
            String name = "a".repeat(prefix) + ch.repeat(5);
            String cut = PgNames.truncate(name);
            assertThat(bytes(cut)).isLessThanOrEqualTo(63).isGreaterThan(63 - bytes(ch));
            assertThat(name).startsWith(cut);
            assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
        }
    }

    @Test
    void startupUserAndDatabaseAreCutOtherParametersKept() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "u".repeat(70));
        params.put("database", "d".repeat(64));
        params.put("application_name", "a".repeat(100));
        Map<String, String> cut = PgNames.truncateStartup(params);
        assertThat(cut.get("user")).hasSize(63);
        assertThat(cut.get("database")).hasSize(63);
        assertThat(cut.get("application_name")).hasSize(100);
        assertThat(cut.keySet()).containsExactly("user", "database", "application_name");
    }
}
