package dev.meridian.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {

    @Test
    void fatalCarriesSeverityBothWaysSqlStateAndMessageInWireOrder() {
        ErrorResponse e = ErrorResponse.fatal("57P03", "no backend available");

        assertThat(e.fields()).containsExactly(Map.entry('S', "FATAL"), Map.entry('V', "FATAL"),
                Map.entry('C', "57P03"), Map.entry('M', "no backend available"));
        assertThat(e.severity()).isEqualTo("FATAL");
        assertThat(e.sqlState()).isEqualTo("57P03");
        assertThat(e.message()).isEqualTo("no backend available");
    }

    @Test
    void errorHasSeverityError() {
        assertThat(ErrorResponse.error("42601", "syntax error").severity()).isEqualTo("ERROR");
    }

    @Test
    void severityPrefersTheUnlocalizedField() {
        Map<Character, String> f = new HashMap<>();
        f.put('S', "FEHLER");
        f.put('V', "ERROR");

        assertThat(new ErrorResponse(f).severity()).isEqualTo("ERROR");
    }

    @Test
    void missingFieldsAreNull() {
        ErrorResponse e = new ErrorResponse(Map.of());

        assertThat(e.severity()).isNull();
        assertThat(e.sqlState()).isNull();
        assertThat(e.message()).isNull();
    }

    @Test
    void toStringIsSeveritySqlStateAndMessage() {
        assertThat(ErrorResponse.fatal("28P01", "password authentication failed for user \"alice\""))
                .hasToString("FATAL 28P01 password authentication failed for user \"alice\"");
    }

    @Test
    void fieldsCannotBeModified() {
        ErrorResponse e = ErrorResponse.fatal("08P01", "x");

        assertThatThrownBy(() -> e.fields().put('D', "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void noticeMessageIsTheMField() {
        assertThat(new NoticeResponse(Map.of('M', "hello")).message()).isEqualTo("hello");
    }
}
