package dev.meridian.proxy.pooling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session settings a transaction-pooled client made with plain {@code SET name = value} /
 * {@code RESET name} / {@code RESET ALL} (or DISCARD ALL) outside a transaction block: kept as
 * the SET statements themselves, and replayed on a connection whose settings differ
 * ({@code RESET ALL} first: the pool's connections were opened with the client's own startup
 * parameters, so RESET ALL returns them to exactly what the client's session started with).
 * A change counts only once its request settled cleanly (ReadyForQuery 'I', no error).
 */
public final class SessionSettings {
    private static final Pattern SET = Pattern.compile(
            "(?is)\\s*set\\s+(?:session\\s+)?((?:time\\s+zone)|[a-z_][a-z0-9_$]*(?:\\.[a-z_][a-z0-9_$]*)?)\\s*(?:=|to\\b|\\s).*");
    private static final Pattern RESET = Pattern.compile("(?is)\\s*reset\\s+([a-z_][a-z0-9_$]*(?:\\.[a-z_][a-z0-9_$]*)?)\\s*;?\\s*");

    private final Map<String, String> applied = new LinkedHashMap<>();
    private final List<String[]> pending = new ArrayList<>();

    /**
     * If {@code sql} is one statement this class can follow, remembers it as pending and returns
     * true; false means the caller must treat it by its effects (pin when in doubt).
     */
    public boolean offer(List<List<String>> statements, String sql) {
        if (statements.size() != 1) {
            return false;
        }
        List<String> t = statements.get(0);
        String first = t.get(0);
        String second = t.size() > 1 ? t.get(1) : "";
        if (resetsAll(t)) {
            pending.add(new String[] {null, null});
            return false; // its effects (the end of a SET pin, or of every pin) apply too
        }
        if (first.equals("reset") && !second.equals("role") && !second.equals("session")) {
            Matcher m = RESET.matcher(sql);
            if (m.matches()) {
                pending.add(new String[] {name(m.group(1)), null});
                return true;
            }
            return false;
        }
        if (!first.equals("set") || StatementEffects.SET_SPECIAL.contains(second)
                || second.equals("session") && t.size() > 2 && StatementEffects.SET_SPECIAL.contains(t.get(2))) {
            return false;
        }
        Matcher m = SET.matcher(sql);
        if (!m.matches()) {
            return false;
        }
        pending.add(new String[] {name(m.group(1)), sql.strip()});
        return true;
    }

    /** RESET ALL or DISCARD ALL: every setting back to its startup value. */
    static boolean resetsAll(List<String> t) {
        String second = t.size() > 1 ? t.get(1) : "";
        return (t.get(0).equals("reset") || t.get(0).equals("discard")) && second.equals("all");
    }

    /** Some statement is a RESET of settings (not RESET ROLE / SESSION AUTHORIZATION, which SET ROLE pins for). */
    static boolean resets(List<List<String>> statements) {
        for (List<String> t : statements) {
            String second = t.size() > 1 ? t.get(1) : "";
            if (t.get(0).equals("reset") && !second.equals("role") && !second.equals("session")) {
                return true;
            }
        }
        return false;
    }

    private static String name(String raw) {
        String n = raw.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        return n.equals("timezone") || n.equals("time zone") ? "timezone" : n;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The request settled; returns false when pending changes may or may not have happened (then pin). */
    boolean settled(boolean clean) {
        boolean hadPending = !pending.isEmpty();
        if (clean) {
            for (String[] p : pending) {
                if (p[0] == null) {
                    applied.replaceAll((name, sql) -> isCustom(name) ? "RESET " + name : null);
                    applied.values().removeIf(java.util.Objects::isNull);
                } else {
                    applied.remove(p[0]);
                    String sql = p[1] == null && isCustom(p[0]) ? "RESET " + p[0] : p[1];
                    if (sql != null) {
                        applied.put(p[0], sql);
                    }
                }
            }
        }
        pending.clear();
        return clean || !hadPending;
    }

    /**
     * A custom (dotted) setting, once SET or RESET, stays in the session as a placeholder whose
     * value after RESET (or RESET ALL, DISCARD ALL) is the empty string, not "unrecognized":
     * {@code current_setting('x.y', true)} is '' in session mode but NULL on a connection that
     * never saw it. So it is remembered as {@code RESET x.y}, which creates that placeholder.
     */
    private static boolean isCustom(String name) {
        return name.indexOf('.') > 0;
    }

    /** The SET statements in force, in the order they were made. */
    public Map<String, String> current() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(applied));
    }

    /** One simple query that brings any connection of the pool to these settings. */
    public static String replay(Map<String, String> settings) {
        StringBuilder sql = new StringBuilder("RESET ALL");
        settings.values().forEach(s -> sql.append(";\n").append(s.endsWith(";") ? s.substring(0, s.length() - 1) : s));
        return sql.toString();
    }
}
