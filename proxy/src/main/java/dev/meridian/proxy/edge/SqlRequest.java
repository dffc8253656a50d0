package dev.meridian.proxy.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@code POST /sql} request as Neon's driver sends it: {@code {"query", "params"}} or
 * {@code {"queries": [...]}} (a batch: one transaction), the Neon-* headers, and a bearer token.
 * Parsing is pure, so every malformed shape is a unit test.
 *
 * @param bearer the {@code Authorization: Bearer} token, or null
 */
record SqlRequest(ConnectionString connection, List<Statement> statements, boolean batch, BatchMode mode,
                  boolean rawText, boolean arrayMode, String bearer) {

    /** One statement: its SQL and its parameters in text form (null: SQL NULL). */
    record Statement(String query, List<String> params) {
    }

    /** {@code Neon-Batch-*}: how a batch's transaction begins. Null members: the server's default. */
    record BatchMode(String isolation, Boolean readOnly, Boolean deferrable) {
        static final BatchMode DEFAULT = new BatchMode(null, null, null);

        /** {@code BEGIN} with the batch's options. */
        String begin() {
            StringBuilder sql = new StringBuilder("BEGIN");
            if (isolation != null) {
                sql.append(" ISOLATION LEVEL ").append(isolation);
            }
            if (readOnly != null) {
                sql.append(readOnly ? " READ ONLY" : " READ WRITE");
            }
            if (deferrable != null) {
                sql.append(deferrable ? " DEFERRABLE" : " NOT DEFERRABLE");
            }
            return sql.toString();
        }
    }

    private static final Map<String, String> ISOLATION = Map.of(
            "readuncommitted", "READ UNCOMMITTED", "readcommitted", "READ COMMITTED",
            "repeatableread", "REPEATABLE READ", "serializable", "SERIALIZABLE");

    /** @param headers the request's header values by name (null when absent) */
    static SqlRequest parse(Function<String, String> headers, byte[] body) {
        contentType(headers.apply("Content-Type"));
        ConnectionString connection = ConnectionString.parse(headers.apply("Neon-Connection-String"));
        JsonNode root;
        try {
            root = HttpReplies.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw EdgeException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw EdgeException.badRequest("request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw EdgeException.badRequest("request body must be a JSON object with \"query\" or \"queries\"");
        }
        boolean batch = root.has("queries");
        List<Statement> statements = new ArrayList<>();
        if (batch) {
            JsonNode queries = root.get("queries");
            if (!queries.isArray()) {
                throw EdgeException.badRequest("\"queries\" must be an array");
            }
            for (JsonNode q : queries) {
                statements.add(statement(q));
            }
        } else {
            statements.add(statement(root));
        }
        BatchMode mode = new BatchMode(isolation(headers.apply("Neon-Batch-Isolation-Level")),
                bool(headers.apply("Neon-Batch-Read-Only"), "Neon-Batch-Read-Only"),
                bool(headers.apply("Neon-Batch-Deferrable"), "Neon-Batch-Deferrable"));
        return new SqlRequest(connection, statements, batch, mode,
                Boolean.TRUE.equals(bool(headers.apply("Neon-Raw-Text-Output"), "Neon-Raw-Text-Output")),
                Boolean.TRUE.equals(bool(headers.apply("Neon-Array-Mode"), "Neon-Array-Mode")),
                bearer(headers.apply("Authorization")));
    }

    /** The driver's fetch sends a string body, which browsers label text/plain: both are accepted. */
    private static void contentType(String value) {
        if (value == null) {
            return;
        }
        String type = value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !type.equals("text/plain")) {
            throw new EdgeException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "08P01",
                    "Content-Type must be application/json, not " + type);
        }
    }

    private static Statement statement(JsonNode node) {
        JsonNode query = node.get("query");
        if (query == null || !query.isTextual()) {
            throw EdgeException.badRequest("each statement needs a \"query\" string");
        }
        List<String> params = new ArrayList<>();
        JsonNode list = node.get("params");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw EdgeException.badRequest("\"params\" must be an array");
            }
            for (JsonNode p : list) {
                params.add(p.isNull() ? null : p.isValueNode() ? p.asText() : p.toString());
            }
        }
        return new Statement(query.asText(), params);
    }

    private static String isolation(String value) {
        if (value == null) {
            return null;
        }
        String sql = ISOLATION.get(value.replaceAll("[ _-]", "").toLowerCase(Locale.ROOT));
        if (sql == null) {
            throw EdgeException.badRequest("Neon-Batch-Isolation-Level must be ReadUncommitted, ReadCommitted, "
                    + "RepeatableRead or Serializable");
        }
        return sql;
    }

    private static Boolean bool(String value, String header) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw EdgeException.badRequest(header + " must be true or false");
        };
    }

    private static String bearer(String value) {
        if (value == null) {
            return null;
        }
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw new EdgeException(HttpResponseStatus.UNAUTHORIZED, "28000", "Authorization must be \"Bearer <JWT>\"");
        }
        return value.substring(7).strip();
    }
}
