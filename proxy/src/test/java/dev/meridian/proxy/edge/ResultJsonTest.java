package dev.meridian.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.message.ErrorResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultJsonTest {
    private static final List<ResultCollector.Field> FIELDS = List.of(
            new ResultCollector.Field("n", 0, 0, 23, 4, -1, 0), new ResultCollector.Field("j", 0, 0, 3802, -1, -1, 0),
            new ResultCollector.Field("b", 0, 0, 16, 1, -1, 0));

    private static ResultCollector.Result result() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"7", "{\"a\": 1}", "t"});
        rows.add(new String[] {null, null, "f"});
        return new ResultCollector.Result("SELECT", 2L, FIELDS, rows);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rawTextArrayModeIsWhatTheDriverParses() {
        assertThat(text(ResultJson.results(List.of(result()), false, true, true))).isEqualTo(
                "{\"command\":\"SELECT\",\"rowCount\":2,\"rows\":[[\"7\",\"{\\\"a\\\": 1}\",\"t\"],[null,null,\"f\"]],"
                        + "\"fields\":[{\"name\":\"n\",\"dataTypeID\":23,\"tableID\":0,\"columnID\":0,\"dataTypeSize\":4,"
                        + "\"dataTypeModifier\":-1,\"format\":\"text\"},{\"name\":\"j\",\"dataTypeID\":3802,\"tableID\":0,"
                        + "\"columnID\":0,\"dataTypeSize\":-1,\"dataTypeModifier\":-1,\"format\":\"text\"},{\"name\":\"b\","
                        + "\"dataTypeID\":16,\"tableID\":0,\"columnID\":0,\"dataTypeSize\":1,\"dataTypeModifier\":-1,"
                        + "\"format\":\"text\"}],\"rowAsArray\":true}");
    }

    @Test
    void typedObjectsWithoutRawText() {
        String json = text(ResultJson.results(List.of(result()), true, false, false));
        assertThat(json).startsWith("{\"results\":[{\"command\":\"SELECT\",\"rowCount\":2,\"rows\":"
                + "[{\"n\":7,\"j\":{\"a\":1},\"b\":true},{\"n\":null,\"j\":null,\"b\":false}]");
    }

    @Test
    void errorsCarryEveryFieldTheDriverCopies() {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put('S', "ERROR");
        f.put('C', "42P01");
        f.put('M', "relation \"x\" does not exist");
        f.put('P', "15");
        f.put('H', "check the name");
        assertThat(text(ResultJson.error(new ErrorResponse(f)))).isEqualTo("{\"message\":\"relation \\\"x\\\" does not exist\","
                + "\"severity\":\"ERROR\",\"code\":\"42P01\",\"position\":\"15\",\"hint\":\"check the name\"}");
    }
}
