package dev.meridian.proxy.edge;

import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.message.ErrorResponse;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the backend's answer to a {@link SqlPlan} up to (not including) ReadyForQuery: each
 * step ends with CommandComplete or EmptyQueryResponse; a visible step's RowDescription and
 * DataRows become its {@link Result}. Past {@code maxBytes} of row data it stops keeping rows
 * (the answer will be 507) but keeps reading, so the connection stays in step.
 */
final class ResultCollector {
    record Field(String name, int tableId, int columnId, int typeId, int typeSize, int typeModifier, int format) {
    }

    /** @param rowCount from the command tag; null when the tag carries none */
    record Result(String command, Long rowCount, List<Field> fields, List<String[]> rows) {
    }

    private final List<SqlPlan.Step> steps;
    private final long maxBytes;
    private final List<Result> results = new ArrayList<>();
    private int step;
    private List<Field> fields = List.of();
    private List<String[]> rows = new ArrayList<>();
    private long bytes;
    private boolean tooLarge;
    private ErrorResponse error;

    ResultCollector(List<SqlPlan.Step> steps, long maxBytes) {
        this.steps = steps;
        this.maxBytes = maxBytes;
    }

    /** One backend message other than ErrorResponse and ReadyForQuery. */
    void onMessage(byte type, ByteBuf body) {
        if (error != null || step >= steps.size()) {
            return;
        }
        boolean visible = steps.get(step).visible();
        switch (type) {
            case 'T' -> fields = visible ? rowDescription(body) : List.of();
            case 'D' -> {
                if (visible && !tooLarge) {
                    dataRow(body);
                }
            }
            case 'C' -> endStep(CStrings.read(body));
            case 'I' -> endStep("");
            default -> {
                // ParseComplete, BindComplete, NoData, notices, ParameterStatus: nothing to keep.
            }
        }
    }

    void onError(ErrorResponse e) {
        if (error == null) {
            error = e;
        }
    }

    private void endStep(String tag) {
        if (steps.get(step).visible()) {
            String[] words = tag.split(" ");
            Long count = null;
            if (words.length > 1 && words[words.length - 1].chars().allMatch(Character::isDigit)) {
                count = Long.parseLong(words[words.length - 1]);
            }
            results.add(new Result(words[0], count, fields, rows));
        }
        fields = List.of();
        rows = new ArrayList<>();
        step++;
    }

    private static List<Field> rowDescription(ByteBuf body) {
        int n = body.readUnsignedShort();
        List<Field> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = CStrings.read(body);
            list.add(new Field(name, body.readInt(), body.readShort(), body.readInt(), body.readShort(), body.readInt(),
                    body.readShort()));
        }
        return list;
    }

    private void dataRow(ByteBuf body) {
        int n = body.readUnsignedShort();
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
            int len = body.readInt();
            if (len >= 0) {
                row[i] = body.readCharSequence(len, StandardCharsets.UTF_8).toString();
                bytes += len;
            }
            bytes += 4;
        }
        if (bytes > maxBytes) {
            tooLarge = true;
            rows.clear();
            return;
        }
        rows.add(row);
    }

    List<Result> results() {
        return results;
    }

    ErrorResponse error() {
        return error;
    }

    boolean tooLarge() {
        return tooLarge;
    }
}
