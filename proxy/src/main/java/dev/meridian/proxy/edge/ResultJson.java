package dev.meridian.proxy.edge;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.protocol.message.ErrorResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The answer body, in the shape of Neon's {@code /sql} ({@code proxy/src/serverless/json.rs}),
 * which the driver parses: {@code {command, rowCount, rows, fields, rowAsArray}}, a batch as
 * {@code {results: [...]}}. With {@code Neon-Raw-Text-Output: true} (what the driver sends)
 * every value is PostgreSQL's text, or null; the driver parses it by {@code dataTypeID}.
 * Without it, booleans, small integers, floats and json become JSON values, the rest text.
 */
final class ResultJson {
    /** ErrorResponse field codes → the driver's DatabaseError property names. */
    private static final Map<Character, String> ERROR_FIELDS = Map.ofEntries(
            Map.entry('S', "severity"), Map.entry('C', "code"), Map.entry('D', "detail"), Map.entry('H', "hint"),
            Map.entry('P', "position"), Map.entry('p', "internalPosition"), Map.entry('q', "internalQuery"),
            Map.entry('W', "where"), Map.entry('s', "schema"), Map.entry('t', "table"), Map.entry('c', "column"),
            Map.entry('d', "dataType"), Map.entry('n', "constraint"), Map.entry('F', "file"), Map.entry('L', "line"),
            Map.entry('R', "routine"));

    private ResultJson() {
    }

    static byte[] results(List<ResultCollector.Result> results, boolean batch, boolean arrayMode, boolean rawText) {
        return write(g -> {
            if (batch) {
                g.writeStartObject();
                g.writeArrayFieldStart("results");
                for (ResultCollector.Result r : results) {
                    result(g, r, arrayMode, rawText);
                }
                g.writeEndArray();
                g.writeEndObject();
            } else {
                result(g, results.get(0), arrayMode, rawText);
            }
        });
    }

    /** {@code {message, code, detail, hint, position, ...}}: what the driver copies onto its error. */
    static byte[] error(ErrorResponse e) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("message", e.message());
            e.fields().forEach((code, value) -> {
                String name = ERROR_FIELDS.get(code);
                if (name != null) {
                    try {
                        g.writeStringField(name, value);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            });
            g.writeEndObject();
        });
    }

    private static void result(JsonGenerator g, ResultCollector.Result r, boolean arrayMode, boolean rawText)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("command", r.command());
        if (r.rowCount() == null) {
            g.writeNullField("rowCount");
        } else {
            g.writeNumberField("rowCount", r.rowCount());
        }
        g.writeArrayFieldStart("rows");
        for (String[] row : r.rows()) {
            if (arrayMode) {
                g.writeStartArray();
            } else {
                g.writeStartObject();
            }
            for (int i = 0; i < row.length; i++) {
                if (!arrayMode) {
                    g.writeFieldName(r.fields().get(i).name());
                }
                value(g, row[i], r.fields().get(i).typeId(), rawText);
            }
            if (arrayMode) {
                g.writeEndArray();
            } else {
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("fields");
        for (ResultCollector.Field f : r.fields()) {
            g.writeStartObject();
            g.writeStringField("name", f.name());
            g.writeNumberField("dataTypeID", f.typeId());
            g.writeNumberField("tableID", f.tableId());
            g.writeNumberField("columnID", f.columnId());
            g.writeNumberField("dataTypeSize", f.typeSize());
            g.writeNumberField("dataTypeModifier", f.typeModifier());
            g.writeStringField("format", "text");
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("rowAsArray", arrayMode);
        g.writeEndObject();
    }

    /** Type OIDs from pg_type.dat: bool 16, int2 21, int4 23, oid 26, float4 700, float8 701, json 114, jsonb 3802. */
    private static void value(JsonGenerator g, String text, int type, boolean rawText) throws IOException {
        if (text == null) {
            g.writeNull();
        } else if (rawText) {
            g.writeString(text);
        } else if (type == 16) {
            g.writeBoolean(text.equals("t"));
        } else if ((type == 21 || type == 23 || type == 26) && !text.isEmpty()) {
            g.writeNumber(Long.parseLong(text));
        } else if ((type == 700 || type == 701) && !text.equals("NaN") && !text.contains("Infinity")) {
            g.writeNumber(Double.parseDouble(text));
        } else if (type == 114 || type == 3802) {
            JsonNode node = HttpReplies.JSON.readTree(text);
            g.writeTree(node);
        } else {
            g.writeString(text);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = HttpReplies.JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
