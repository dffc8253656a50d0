package dev.meridian.proxy.readrouting;

import dev.meridian.proxy.pooling.SqlTokens;
import java.util.List;
import java.util.Set;

/**
 * Decides, from SQL text alone, whether statements provably only read (docs/read-routing.md).
 * Conservative by design: a false "write" costs a trip to the primary, a false "read" costs a
 * 25006 on the replica. A statement is a read when it is a SELECT, WITH, TABLE, VALUES or SHOW
 * with no row lock ({@code FOR UPDATE/SHARE/NO KEY UPDATE/KEY SHARE}), no {@code INTO} (SELECT
 * INTO creates a table), no data-modifying word anywhere (INSERT, UPDATE, DELETE, MERGE: this
 * catches data-modifying CTEs), and no function call outside {@link #KNOWN_FUNCTIONS}: an unknown
 * function may write (nextval, setval, advisory locks, pg_* administration, a user's volatile
 * function). SET, RESET and SHOW leave no data behind and are reads too.
 */
public final class ReadOnlyCheck {
    /** Built-in functions that never write: the ones everyday reads call. */
    static final Set<String> KNOWN_FUNCTIONS = Set.of("count", "sum", "avg", "min", "max", "now", "lower", "upper",
            "coalesce", "nullif", "greatest", "least", "length", "char_length", "abs", "round", "floor", "ceil",
            "ceiling", "trunc", "mod", "power", "sqrt", "concat", "concat_ws", "substr", "substring", "trim", "btrim",
            "ltrim", "rtrim", "replace", "position", "strpos", "left", "right", "split_part", "format", "md5",
            "to_char", "to_date", "to_timestamp", "to_number", "date_trunc", "date_part", "extract", "age",
            "array_agg", "string_agg", "json_agg", "jsonb_agg", "json_build_object", "jsonb_build_object",
            "json_build_array", "jsonb_build_array", "json_object_agg", "jsonb_object_agg", "row_to_json",
            "to_json", "to_jsonb", "jsonb_array_elements", "json_array_elements", "jsonb_each", "json_each",
            "array_length", "cardinality", "unnest", "generate_series", "row_number", "rank", "dense_rank",
            "lag", "lead", "first_value", "last_value", "bool_and", "bool_or", "every", "random", "version",
            "current_setting", "current_database", "current_schema", "current_user", "session_user",
            "pg_is_in_recovery", "pg_last_wal_replay_lsn", "pg_sleep", "statement_timestamp",
            "clock_timestamp", "transaction_timestamp", "timeofday", "exists", "cast", "row", "array",
            "gen_random_uuid", "encode", "decode", "regexp_replace", "regexp_match", "regexp_matches",
            "initcap", "repeat", "reverse", "lpad", "rpad", "octet_length", "bit_length", "stddev", "variance",
            "percentile_cont", "percentile_disc", "mode", "date", "time", "timestamp", "timestamptz", "interval");
    /** Words that open a parenthesis without calling a function. */
    private static final Set<String> NOT_CALLS = Set.of("in", "any", "all", "some", "values", "over", "filter",
            "within", "using", "on", "as", "and", "or", "not", "where", "select", "from", "when", "then", "else",
            "case", "lateral", "join", "by", "having", "group", "partition", "numeric", "decimal", "varchar",
            "char", "character", "varying", "float", "bit", "with", "is", "distinct", "between", "like", "ilike",
            "union", "intersect", "except", "limit", "offset", "fetch", "order", "asc", "desc", "recursive",
            "materialized", "table", "only", "set", "zone", "precision", "exists", "if", "end");
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "merge", "into", "copy");
    private static final Set<String> READ_STARTS = Set.of("select", "with", "table", "values", "show", "set",
            "reset", "(");

    private ReadOnlyCheck() {
    }

    /** Whether every statement of {@code sql} provably only reads; false for empty text. */
    public static boolean reads(String sql) {
        List<List<String>> statements = SqlTokens.statements(sql);
        return !statements.isEmpty() && statements.stream().allMatch(ReadOnlyCheck::reads);
    }

    /** One statement's tokens (from {@link SqlTokens}). */
    public static boolean reads(List<String> t) {
        String first = t.get(0);
        if (!READ_STARTS.contains(first)) {
            return false;
        }
        if (first.equals("set") || first.equals("reset")) {
            return !t.contains("role") && !t.contains("authorization") && !t.contains("transaction")
                    && !t.contains("session_authorization");
        }
        for (int i = 0; i < t.size(); i++) {
            String w = t.get(i);
            if (WRITES.contains(w) || rowLock(t, i) || call(t, i) && !KNOWN_FUNCTIONS.contains(w)) {
                return false;
            }
        }
        return true;
    }

    /** {@code BEGIN ... READ ONLY} or {@code START TRANSACTION ... READ ONLY} (and never READ WRITE). */
    public static boolean beginsReadOnly(List<String> t) {
        String first = t.get(0);
        if (!first.equals("begin") && !(first.equals("start") && t.size() > 1 && t.get(1).equals("transaction"))) {
            return false;
        }
        boolean readOnly = false;
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).equals("read") && t.get(i + 1).equals("write")) {
                return false;
            }
            readOnly |= t.get(i).equals("read") && t.get(i + 1).equals("only");
        }
        return readOnly;
    }

    /** COMMIT, END, ROLLBACK, ABORT: they end a transaction and write nothing of their own. */
    public static boolean endsTransaction(List<String> t) {
        String first = t.get(0);
        boolean prepared = t.size() > 1 && t.get(1).equals("prepared");
        return !prepared && (first.equals("commit") || first.equals("end") || first.equals("rollback")
                || first.equals("abort"));
    }

    private static boolean rowLock(List<String> t, int i) {
        if (!t.get(i).equals("for") || i + 1 >= t.size()) {
            return false;
        }
        String next = t.get(i + 1);
        return next.equals("update") || next.equals("share") || next.equals("no") || next.equals("key");
    }

    /** A word directly followed by "(": a function call unless the word is a keyword. */
    private static boolean call(List<String> t, int i) {
        String w = t.get(i);
        return i + 1 < t.size() && t.get(i + 1).equals("(") && !NOT_CALLS.contains(w) && !w.equals("(")
                && !w.equals(")") && !w.equals(",") && !w.equals("*");
    }
}
