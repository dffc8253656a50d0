package dev.meridian.proxy.pooling;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's named statements whose text changes session state (a SET, RESET, DISCARD,
 * DEALLOCATE, LISTEN, an advisory lock, set_config ...): a Bind of one runs that text again,
 * so {@link TransactionState} reads it again. Statements without such effects (nearly all) are
 * not kept: a Bind costs one map lookup. A Bind in the same request as its Parse is not read
 * twice (the Parse was). A name dropped by DEALLOCATE may stay here: its Bind then fails
 * (26000), and reading its text again can only pin, never unpin (an unpin needs a clean
 * ReadyForQuery).
 */
final class BoundStatements {
    private final Map<String, String> stateful = new HashMap<>();
    private final Set<String> parsedInRequest = new HashSet<>();

    /** A Parse of {@code name}: remembered if its text has effects, forgotten otherwise. */
    void parsed(String name, List<List<String>> statements, String sql) {
        parsedInRequest.add(name);
        if (hasEffects(statements)) {
            stateful.put(name, sql);
        } else {
            stateful.remove(name);
        }
    }

    /** The text to read again for a Bind of {@code name}, or null (none, or parsed in this request). */
    String rerun(String name) {
        if (stateful.isEmpty() || parsedInRequest.contains(name)) {
            return null;
        }
        return stateful.get(name);
    }

    /**
     * A Close of statement {@code name}: forgotten (pgjdbc closes the statements it drops, so
     * the map stays as small as the client's live statements). Should PostgreSQL skip the Close
     * after an error, the name lives on unread until parsed again.
     */
    void closed(String name) {
        stateful.remove(name);
    }

    /** A Sync ends the request: the next Bind of any name runs its text again. */
    void synced() {
        if (!parsedInRequest.isEmpty()) {
            parsedInRequest.clear();
        }
    }

    /** Pins or unpins something, or is a setting {@link SessionSettings} follows (SET, RESET). */
    static boolean hasEffects(List<List<String>> statements) {
        for (List<String> t : statements) {
            String first = t.get(0);
            if (first.equals("set") || first.equals("reset")) {
                return true;
            }
        }
        return !StatementEffects.of(statements).isEmpty();
    }
}
