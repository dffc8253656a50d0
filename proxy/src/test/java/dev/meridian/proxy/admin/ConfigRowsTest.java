package dev.meridian.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigRowsTest {
    private static final String YAML = """
            listen: { host: 127.0.0.1, port: 6432 }
            admin: { host: 127.0.0.1, port: 9187, users: [ops] }
            region: iad
            auth: { method: trust }
            health: { interval: 2s, timeout: 1500ms }
            pool: { idle_timeout: 5m, max_per_backend: 4 }
            limits: { idle_transaction_timeout: 0, max_message_bytes: 64MB }
            backends:
              - { name: iad-1, region: iad, host: 127.0.0.1, port: 5432, user: postgres, password: hunter2 }
            databases:
              orders: { regions: [iad], backend_database: orders_prod }
              "*": { regions: [iad] }
            """;

    private static Map<String, String> rows() throws Exception {
        MeridianConfig config = ConfigLoader.parse(YAML, Map.of(), Path.of("."));
        return ConfigRows.of(config).stream().collect(Collectors.toMap(r -> r.get(0), r -> r.get(1)));
    }

    @Test
    void nestedKeysAndValuesAreWrittenAsTheConfigurationWritesThem() throws Exception {
        Map<String, String> rows = rows();
        assertThat(rows).containsEntry("health.interval", "2s").containsEntry("health.timeout", "1500ms")
                .containsEntry("pool.idle_timeout", "5m").containsEntry("pool.max_per_backend", "4")
                .containsEntry("limits.idle_transaction_timeout", "0").containsEntry("limits.max_message_bytes", "64MB")
                .containsEntry("pool.reset_query", "\"DISCARD ALL\"").containsEntry("admin.users", "[ops]")
                .containsEntry("listen.proxy_protocol", "off").containsEntry("auth.method", "trust")
                .containsEntry("databases.orders", "{ regions: [iad], prefer: nearest, backend_database: orders_prod }")
                .containsEntry("databases.\"*\"", "{ regions: [iad], prefer: nearest }");
        assertThat(rows.get("backends[0]")).startsWith("{ name: iad-1, region: iad, host: 127.0.0.1, port: 5432")
                .contains("password: \"****\"");
    }

    @Test
    void neverJavaRecordsDurationsOrPasswords() throws Exception {
        String all = String.join("\n", rows().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        assertThat(all).doesNotContain("PT").doesNotContain("Config[").doesNotContain("hunter2");
    }

    @Test
    void scalarsAreQuotedOnlyWhenYamlWouldReadThemOtherwise() {
        assertThat(YamlText.scalar("iad-1")).isEqualTo("iad-1");
        assertThat(YamlText.scalar("shop*")).isEqualTo("\"shop*\"");
        assertThat(YamlText.scalar("on")).isEqualTo("\"on\"");
        assertThat(YamlText.scalar("")).isEqualTo("\"\"");
        assertThat(YamlText.list(List.of("a", "b c"))).isEqualTo("[a, \"b c\"]");
    }
}
