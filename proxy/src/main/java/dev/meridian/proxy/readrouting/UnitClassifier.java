package dev.meridian.proxy.readrouting;

import dev.meridian.proxy.pooling.SqlTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies a unit of work (the messages a client sends from idle up to its Sync or Query) as
 * read-only or not, for {@code target: auto}. A unit is read-only when each of its statements is
 * a proven read ({@link ReadOnlyCheck}), or runs inside a transaction the unit opened with
 * {@code BEGIN READ ONLY} (where PostgreSQL itself refuses writes, on a primary as on a replica).
 * Prepared statements are classified once, when parsed; a Bind of a statement never seen parsed
 * makes the unit a write. One per session, used on its event loop only.
 */
public final class UnitClassifier {
    /** What one statement does to the unit's class. */
    enum Kind { READ, WRITE, BEGIN_READ_ONLY, END }

    private static final int MAX_REMEMBERED = 1000;
    private static final List<Kind> WRITE = List.of(Kind.WRITE);

    private final Map<String, List<Kind>> prepared = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Kind>> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private boolean inReadOnlyTransaction;
    private boolean readOnly = true;
    private boolean empty = true;

    /** Starts a new unit, outside any transaction. */
    public void begin() {
        inReadOnlyTransaction = false;
        readOnly = true;
        empty = true;
    }

    /** Whether everything seen since {@link #begin} is read-only (false for a unit with no statement). */
    public boolean readOnly() {
        return readOnly && !empty;
    }

    /** A simple Query's text. */
    public void query(String sql) {
        apply(kinds(sql));
    }

    /** Remembers the class of a Parse (statement {@code name}, "" for the unnamed one). */
    public void parsed(String name, String sql) {
        prepared.put(name, kinds(sql));
    }

    /** A Bind of statement {@code name}: the unit runs that statement. */
    public void bind(String name) {
        apply(prepared.getOrDefault(name, WRITE));
    }

    /** Whether {@code sql} holds a statement that may write (any not proven a read or a transaction boundary). */
    public boolean writes(String sql) {
        return kinds(sql).contains(Kind.WRITE);
    }

    /** Whether a Bind of statement {@code name} runs one that may write (a statement never seen parsed may). */
    public boolean bindWrites(String name) {
        return prepared.getOrDefault(name, WRITE).contains(Kind.WRITE);
    }

    /** A FunctionCall message: it may call anything. */
    public void functionCall() {
        apply(WRITE);
    }

    private void apply(List<Kind> kinds) {
        for (Kind k : kinds) {
            empty = false;
            switch (k) {
                case BEGIN_READ_ONLY -> inReadOnlyTransaction = true;
                case END -> inReadOnlyTransaction = false;
                case READ -> { }
                case WRITE -> readOnly &= inReadOnlyTransaction;
            }
        }
    }

    static List<Kind> kinds(String sql) {
        List<List<String>> statements = SqlTokens.statements(sql);
        if (statements.isEmpty()) {
            return List.of(Kind.READ); // an empty query: PostgreSQL answers EmptyQueryResponse
        }
        List<Kind> kinds = new ArrayList<>(statements.size());
        for (List<String> t : statements) {
            kinds.add(ReadOnlyCheck.beginsReadOnly(t) ? Kind.BEGIN_READ_ONLY
                    : ReadOnlyCheck.endsTransaction(t) ? Kind.END
                    : ReadOnlyCheck.reads(t) ? Kind.READ : Kind.WRITE);
        }
        return List.copyOf(kinds);
    }
}
