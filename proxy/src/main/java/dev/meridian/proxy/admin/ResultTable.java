package dev.meridian.proxy.admin;

import dev.meridian.protocol.message.ResultSets;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** One answer of the admin console: text columns, rows, and the command tag. */
public record ResultTable(List<String> columns, List<List<String>> rows, String tag) {
    public ResultTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> (List<String>) new ArrayList<>(r)).toList();
    }

    /** A command that returns no rows (RELOAD, PAUSE...): just the tag. */
    public static ResultTable done(String tag) {
        return new ResultTable(List.of(), List.of(), tag);
    }

    public void encode(ByteBuf out) {
        if (!columns.isEmpty()) {
            ResultSets.rowDescription(out, columns);
            rows.forEach(r -> ResultSets.dataRow(out, r));
        }
        ResultSets.commandComplete(out, tag);
    }
}
