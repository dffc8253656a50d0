package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(delimiter = '|', value = {
        // exact names
        "users      | users     | true",
        "users      | Users     | false",
        "users      | users2    | false",
        "users      | user      | false",
        // *
        "*          | anything  | true",
        "*          | ''        | true",
        "**         | x         | true",
        "user*      | users     | true",
        "user*      | user      | true",
        "user*      | use       | false",
        "*_archive  | 2024_archive | true",
        "*_archive  | archive   | false",
        "a*b*c      | aXXbYYc   | true",
        "a*b*c      | abcabc    | true",
        "a*b*c      | acb       | false",
        "*a*a*a*b   | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | false",
        // ?
        "db?        | db1       | true",
        "db?        | db        | false",
        "db?        | db12      | false",
        "??         | éé        | true",
        "?          | \uD83D\uDE00 | true",
        // [...]
        "db[a-c]    | dbb       | true",
        "db[a-c]    | dbd       | false",
        "db[abc]    | dbc       | true",
        "db[!a-c]   | dbd       | true",
        "db[!a-c]   | dba       | false",
        "db[^a-c]   | dbd       | true",
        "db[]x]     | db]       | true",
        "db[]x]     | dbx       | true",
        "db[a-]     | db-       | true",
        "db[0-9][0-9] | db42    | true",
        "db[0-9][0-9] | db4x    | false",
        // escapes
        "a\\*       | a*        | true",
        "a\\*       | ab        | false",
        "a\\?       | a?        | true",
        "a\\[b]     | a[b]      | true",
        "[\\]]      | ]         | true",
    })
    void matches(String pattern, String name, boolean expected) {
        assertThat(Glob.matches(pattern, name)).isEqualTo(expected);
        assertThat(new DatabaseRule(pattern, List.of(), Preference.NEAREST, null).matches(name))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', value = {
        "db[abc    | unterminated [ (write \\[ for a literal [)",
        "[         | unterminated [ (write \\[ for a literal [)",
        "[]        | unterminated [ (write \\[ for a literal [)",
        "[!]       | unterminated [ (write \\[ for a literal [)",
        "db\\      | ends with a lone \\",
        "db[z-a]   | empty range in [...]",
    })
    void reportsSyntaxErrors(String pattern, String error) {
        assertThat(Glob.syntaxError(pattern)).isEqualTo(error);
        assertThatThrownBy(() -> new DatabaseRule(pattern, List.of(), Preference.NEAREST, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource({"*, true", "***, true", "*a, false", "?, false", "'', false"})
    void recognisesCatchAllPatterns(String pattern, boolean expected) {
        assertThat(Glob.matchesEverything(pattern)).isEqualTo(expected);
    }
}
