package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyPathTest {

    @ParameterizedTest(name = "{0} . {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "''          | listen        | listen",
        "listen      | port          | listen.port",
        "databases   | *             | databases.\"*\"",
        "databases   | my-db         | databases.\"my-db\"",
        "databases   | a.b           | databases.\"a.b\"",
        "databases   | ''            | databases.\"\"",
        "databases   | _x1           | databases._x1",
        "regions     | 1             | regions.\"1\"",
        "''          | my key        | \"my key\"",
    })
    void keys(String parent, String key, String expected) {
        assertThat(KeyPath.key(parent, key)).isEqualTo(expected);
    }

    @Test
    void indexesAndProblems() {
        assertThat(KeyPath.index("backends", 2)).isEqualTo("backends[2]");
        assertThat(KeyPath.key(KeyPath.index("backends", 2), "port")).isEqualTo("backends[2].port");
        assertThat(KeyPath.problem("backends[2].port", "must be 1..65535"))
                .isEqualTo("backends[2].port: must be 1..65535");
        assertThat(KeyPath.problem(KeyPath.ROOT, "the configuration is empty"))
                .isEqualTo("the configuration is empty");
    }

    @Test
    void quotingEscapesAndShortens() {
        assertThat(KeyPath.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(KeyPath.quote("tab\there\n")).isEqualTo("\"tab\\u0009here\\u000a\"");
        assertThat(KeyPath.quote("\ud800x")).isEqualTo("\"\\ud800x\"");
        assertThat(KeyPath.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(KeyPath.quote("x".repeat(100))).isEqualTo("\"" + "x".repeat(60) + "...\"");
        assertThat(KeyPath.quote("x".repeat(59) + "\ud83d\ude00" + "y"))
                .isEqualTo("\"" + "x".repeat(59) + "...\"");
    }
}
