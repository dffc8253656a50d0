package dev.meridian.proxy.pooling;

import java.util.List;

/** Reads DEALLOCATE / DISCARD ALL (and PREPARE's name) from {@link SqlTokens} tokens. */
final class Deallocation {
    private Deallocation() {
    }

    /** DEALLOCATE [PREPARE] ALL, or DISCARD ALL: every prepared statement goes. */
    static boolean all(List<String> t) {
        if (t.size() == 2 && t.get(0).equals("discard") && t.get(1).equals("all")) {
            return true;
        }
        int at = nameAt(t);
        return at > 0 && at == t.size() - 1 && t.get(at).equals("all");
    }

    /**
     * The statement name of {@code DEALLOCATE [PREPARE] name} (folded to lower case unless
     * quoted, as PostgreSQL does), or null for anything else (ALL included).
     */
    static String name(List<String> t) {
        int at = nameAt(t);
        if (at < 0 || at != t.size() - 1 || t.get(at).equals("all")) {
            return null;
        }
        return identifier(t.get(at));
    }

    /** The statement name of SQL {@code PREPARE name [(types)] AS ...}, or null (PREPARE TRANSACTION too). */
    static String prepared(List<String> t) {
        if (t.size() < 3 || !t.get(0).equals("prepare") || t.get(1).equals("transaction")) {
            return null;
        }
        return identifier(t.get(1));
    }

    private static String identifier(String word) {
        if (word.startsWith("\"")) {
            int end = word.length() > 1 && word.endsWith("\"") ? word.length() - 1 : word.length();
            return word.substring(1, end).replace("\"\"", "\"");
        }
        return word;
    }

    private static int nameAt(List<String> t) {
        if (t.isEmpty() || !t.get(0).equals("deallocate")) {
            return -1;
        }
        int at = t.size() > 2 && t.get(1).equals("prepare") ? 2 : 1;
        return at < t.size() ? at : -1;
    }
}
