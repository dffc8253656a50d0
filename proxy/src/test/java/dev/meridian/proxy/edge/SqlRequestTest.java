package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlRequestTest {
    private static final String URL = "postgres://app:p%40ss%2Bw@ignored.example:5432/shop?sslmode=require";

    private static SqlRequest parse(Map<String, String> extra, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Neon-Connection-String", URL);
        headers.putAll(extra);
        return SqlRequest.parse(headers::get, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void singleQueryWithParameters() {
        SqlRequest r = parse(Map.of("Neon-Raw-Text-Output", "true", "Neon-Array-Mode", "true"),
                "{\"query\":\"select $1, $2, $3, $4\",\"params\":[1, null, \"x\", [1,2]]}");
        assertThat(r.batch()).isFalse();
        assertThat(r.rawText()).isTrue();
        assertThat(r.arrayMode()).isTrue();
        assertThat(r.statements()).containsExactly(
                new SqlRequest.Statement("select $1, $2, $3, $4", Arrays.asList("1", null, "x", "[1,2]")));
        assertThat(r.connection()).isEqualTo(new ConnectionString("app", "p@ss+w", "shop"));
        assertThat(r.connection().toString()).doesNotContain("p@ss");
    }

    @Test
    void batchWithItsTransactionOptions() {
        SqlRequest r = parse(Map.of("Neon-Batch-Isolation-Level", "RepeatableRead", "Neon-Batch-Read-Only", "true",
                "Neon-Batch-Deferrable", "false"), "{\"queries\":[{\"query\":\"select 1\"},{\"query\":\"select 2\",\"params\":[]}]}");
        assertThat(r.batch()).isTrue();
        assertThat(r.statements()).hasSize(2);
        assertThat(r.mode().begin()).isEqualTo("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY NOT DEFERRABLE");
    }

    @Test
    void malformedInputIsA400WithSqlState() {
        assertThatThrownBy(() -> parse(Map.of(), "{not json")).isInstanceOfSatisfying(EdgeException.class,
                e -> assertThat(e.status().code()).isEqualTo(400));
        assertThatThrownBy(() -> parse(Map.of(), "[1]")).isInstanceOf(EdgeException.class);
        assertThatThrownBy(() -> parse(Map.of(), "{\"query\": 1}")).isInstanceOf(EdgeException.class);
        assertThatThrownBy(() -> parse(Map.of("Neon-Batch-Isolation-Level", "chaos"), "{\"queries\":[]}"))
                .isInstanceOf(EdgeException.class);
        assertThatThrownBy(() -> parse(Map.of("Neon-Array-Mode", "yes please"), "{\"query\":\"select 1\"}"))
                .isInstanceOf(EdgeException.class);
    }

    @Test
    void contentTypeMustBeJsonOrPlainText() {
        assertThat(parse(Map.of("Content-Type", "text/plain;charset=UTF-8"), "{\"query\":\"select 1\"}")).isNotNull();
        assertThatThrownBy(() -> parse(Map.of("Content-Type", "application/x-www-form-urlencoded"), "{\"query\":\"x\"}"))
                .isInstanceOfSatisfying(EdgeException.class, e -> assertThat(e.status().code()).isEqualTo(415));
    }

    @Test
    void bearerTokenMustBeWellFormed() {
        assertThat(parse(Map.of("Authorization", "Bearer abc.def.ghi"), "{\"query\":\"select 1\"}").bearer())
                .isEqualTo("abc.def.ghi");
        assertThatThrownBy(() -> parse(Map.of("Authorization", "Basic Zm9v"), "{\"query\":\"select 1\"}"))
                .isInstanceOfSatisfying(EdgeException.class, e -> assertThat(e.status().code()).isEqualTo(401));
    }

    @Test
    void connectionStringNeedsSchemeAndUser() {
        assertThatThrownBy(() -> ConnectionString.parse(null)).isInstanceOf(EdgeException.class);
        assertThatThrownBy(() -> ConnectionString.parse("mysql://a:b@h/d")).isInstanceOf(EdgeException.class);
        assertThatThrownBy(() -> ConnectionString.parse("postgres://h/d")).isInstanceOf(EdgeException.class);
        assertThat(ConnectionString.parse("postgresql://bob@h")).isEqualTo(new ConnectionString("bob", null, "bob"));
    }
}
