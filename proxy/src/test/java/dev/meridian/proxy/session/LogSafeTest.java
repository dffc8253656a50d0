package dev.meridian.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client-chosen text in a log line cannot start a line of its own. */
class LogSafeTest {
    @Test
    void plainTextIsUnchanged() {
        assertThat(LogSafe.text("orders_ü")).isEqualTo("orders_ü");
    }

    @Test
    void newlinesAndControlCharactersAreEscaped() {
        assertThat(LogSafe.text("x\n2026-12-04 INFO forged")).isEqualTo("x\\n2026-12-04 INFO forged");
        assertThat(LogSafe.text("a\rb\tc\u0000d\u001be\u007f\u0085")).isEqualTo("a\\rb\\tc\\x00d\\x1be\\x7f\\x85");
        assertThat(LogSafe.text("l\u2028p\u2029")).isEqualTo("l\\u2028p\\u2029");
    }

    @Test
    void backslashIsEscapedSoEscapesAreUnambiguous() {
        assertThat(LogSafe.text("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(LogSafe.text(null)).isEqualTo("null");
    }
}
