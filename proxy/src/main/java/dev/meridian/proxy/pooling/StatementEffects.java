package dev.meridian.proxy.pooling;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the session-state effects of SQL text (a Query, or a Parse's statement) from its
 * tokens. Conservative: anything that may leave state on the connection pins; only statements
 * that provably clear a state unpin it. A false pin costs multiplexing, a missed one
 * correctness.
 */
public final class StatementEffects {
    private static final Set<String> LOCKS = Set.of("pg_advisory_lock", "pg_advisory_lock_shared",
            "pg_try_advisory_lock", "pg_try_advisory_lock_shared");
    /** Words after SET that make it something else than a plain session setting. */
    static final Set<String> SET_SPECIAL = Set.of("local", "role", "authorization", "transaction", "constraints",
            "characteristics");
    private static final Set<String> OPAQUE = Set.of("dblink_connect", "dblink_connect_u");

    private StatementEffects() {
    }

    /** The effects of every statement in {@code sql}, in order. */
    public static List<Effect> of(String sql) {
        return of(SqlTokens.statements(sql));
    }

    /** The effects of statements already split into tokens by {@link SqlTokens}. */
    public static List<Effect> of(List<List<String>> statements) {
        List<Effect> effects = new ArrayList<>();
        for (List<String> statement : statements) {
            leading(statement, effects);
            calls(statement, effects);
        }
        return effects;
    }

    /** Effects decided by the statement's first words. */
    private static void leading(List<String> t, List<Effect> out) {
        String first = t.get(0);
        String second = at(t, 1);
        switch (first) {
            case "set" -> set(t, out);
            case "reset" -> {
                if (second.equals("all")) {
                    out.add(Effect.unpin(PinReason.SET));
                }
            }
            case "listen" -> out.add(Effect.pin(PinReason.LISTEN));
            case "unlisten" -> {
                if (second.equals("*")) {
                    out.add(Effect.unpin(PinReason.LISTEN));
                }
            }
            case "prepare" -> {
                if (!second.equals("transaction")) {
                    out.add(Effect.pin(PinReason.PREPARE));
                }
            }
            case "deallocate" -> {
                if (second.equals("all") || second.equals("prepare") && at(t, 2).equals("all")) {
                    out.add(Effect.unpin(PinReason.PREPARE));
                }
            }
            case "declare" -> {
                if (withHold(t)) {
                    out.add(Effect.pin(PinReason.CURSOR_WITH_HOLD));
                }
            }
            case "close" -> {
                if (second.equals("all")) {
                    out.add(Effect.unpin(PinReason.CURSOR_WITH_HOLD));
                }
            }
            case "create" -> {
                if (t.contains("temp") || t.contains("temporary") || t.contains("pg_temp")) {
                    out.add(Effect.pin(PinReason.TEMP_TABLE));
                }
            }
            case "load" -> out.add(Effect.pin(PinReason.LOAD));
            case "discard" -> discard(second, out);
            case "do" -> out.add(Effect.pin(PinReason.UNKNOWN));
            default -> {
                if (into(t, "temp") || into(t, "temporary")) {
                    out.add(Effect.pin(PinReason.TEMP_TABLE));
                }
            }
        }
    }

    private static void set(List<String> t, List<Effect> out) {
        String second = at(t, 1);
        if (second.equals("local") || second.equals("transaction") || second.equals("constraints")) {
            return; // ends with the transaction
        }
        String name = second.equals("session") ? at(t, 2) : second;
        if (name.equals("role") || name.equals("authorization")) {
            out.add(Effect.pin(PinReason.SET_ROLE));
        } else {
            out.add(Effect.pin(PinReason.SET));
        }
    }

    private static void discard(String what, List<Effect> out) {
        switch (what) {
            case "all" -> out.add(Effect.UNPIN_ALL);
            case "temp", "temporary" -> out.add(Effect.unpin(PinReason.TEMP_TABLE));
            default -> {
                // DISCARD PLANS / SEQUENCES: nothing pinned goes away
            }
        }
    }

    /** Function calls anywhere in the statement. */
    private static void calls(List<String> t, List<Effect> out) {
        for (int k = 0; k + 1 < t.size(); k++) {
            if (!t.get(k + 1).equals("(")) {
                continue;
            }
            String name = t.get(k);
            if (LOCKS.contains(name)) {
                out.add(Effect.pin(PinReason.ADVISORY_LOCK));
            } else if (name.equals("pg_advisory_unlock_all")) {
                out.add(Effect.unpin(PinReason.ADVISORY_LOCK));
            } else if (name.equals("set_config") && !lastArgumentIsTrue(t, k + 1)) {
                out.add(Effect.pin(PinReason.SET));
            } else if (OPAQUE.contains(name)) {
                out.add(Effect.pin(PinReason.UNKNOWN));
            }
        }
    }

    /** set_config(name, value, true) is transaction-local; anything else (false, a parameter) may not be. */
    private static boolean lastArgumentIsTrue(List<String> t, int open) {
        int depth = 0;
        for (int k = open; k < t.size(); k++) {
            String tok = t.get(k);
            if (tok.equals("(")) {
                depth++;
            } else if (tok.equals(")") && --depth == 0) {
                return k - 2 > open && t.get(k - 1).equals("true") && t.get(k - 2).equals(",");
            }
        }
        return false;
    }

    private static boolean withHold(List<String> t) {
        for (int k = 0; k + 1 < t.size(); k++) {
            if (t.get(k).equals("for")) {
                return false;
            }
            if (t.get(k).equals("with") && t.get(k + 1).equals("hold")) {
                return true;
            }
        }
        return false;
    }

    private static boolean into(List<String> t, String word) {
        for (int k = 0; k + 1 < t.size(); k++) {
            if (t.get(k).equals("into") && t.get(k + 1).equals(word)) {
                return true;
            }
        }
        return false;
    }

    private static String at(List<String> t, int k) {
        return k < t.size() ? t.get(k) : "";
    }
}
