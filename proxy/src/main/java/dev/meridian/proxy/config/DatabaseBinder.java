package dev.meridian.proxy.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds {@code databases:}, the routing rules, keeping their file order (first match wins). */
final class DatabaseBinder {

    /** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
    private static final int MAX_NAME_BYTES = 63;

    private final RegionBinder regions;
    private final BackendBinder backends;

    private DatabaseBinder(RegionBinder regions, BackendBinder backends) {
        this.regions = regions;
        this.backends = backends;
    }

    static List<DatabaseRule> bind(Node node, RegionBinder regions, BackendBinder backends) {
        List<DatabaseRule> rules = new ArrayList<>();
        if (node.isAbsent() || node.isMap() && node.entries().isEmpty()) {
            node.problem("at least one database rule is required");
            return rules;
        }
        if (!node.expectMap()) {
            return rules;
        }
        DatabaseBinder binder = new DatabaseBinder(regions, backends);
        String catchAll = null; // path of an earlier rule that matches every name
        for (Map.Entry<String, Node> entry : node.entries()) {
            DatabaseRule rule = binder.rule(entry.getKey(), entry.getValue(), catchAll);
            if (rule != null) {
                rules.add(rule);
            }
            if (Glob.matchesEverything(entry.getKey()) && catchAll == null) {
                catchAll = entry.getValue().path();
            }
        }
        return rules;
    }

    private DatabaseRule rule(String pattern, Node node, String catchAll) {
        String patternError =
                pattern.isEmpty() ? "pattern must not be empty" : Glob.syntaxError(pattern);
        if (patternError != null) {
            node.problem(patternError);
        } else if (catchAll != null) {
            node.problem("never used: " + catchAll + " above already matches every database");
        }
        Fields f = Fields.of(node, "regions", "prefer", "backend_database", "pool_mode", "target", "replication");
        List<String> allowed = allowedRegions(f.node("regions"));
        Preference prefer = preference(f, allowed);
        String backendDatabase = backendDatabase(f);
        PoolMode poolMode = f.has("pool_mode") ? f.choice("pool_mode", PoolMode.SESSION, PoolMode.class) : null;
        RuleTarget target = f.choice("target", RuleTarget.READ_WRITE, RuleTarget.class);
        boolean replication = Flags.read(f, "replication", false);
        return patternError == null
                ? new DatabaseRule(pattern, allowed, prefer, backendDatabase, poolMode, replication, target)
                : null;
    }

    private List<String> allowedRegions(Node list) {
        List<String> allowed = new ArrayList<>();
        if (!list.expectList()) {
            return allowed;
        }
        for (Node item : list.items()) {
            String code = item.text("a region code");
            if (item.isAbsent() || "".equals(code)) {
                item.problem("must be a region code");
            } else if (code == null) {
                continue; // already reported
            } else if (allowed.contains(code)) {
                item.problem("duplicate region " + code);
            } else if (regions.check(item, code)) {
                checkHasBackend(item, code);
                allowed.add(code);
            }
        }
        return allowed;
    }

    private Preference preference(Fields f, List<String> allowed) {
        String text = f.string("prefer");
        if (text == null) {
            return Preference.NEAREST;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "nearest":
                return Preference.NEAREST;
            case "local":
                return Preference.LOCAL;
            default:
                break;
        }
        Node node = f.node("prefer");
        if (regions.check(node, text)) {
            if (!allowed.isEmpty() && !allowed.contains(text)) {
                node.problem("region " + text + " is not among this rule's regions ("
                        + String.join(", ", allowed) + ")");
            } else {
                checkHasBackend(node, text);
            }
        }
        return Preference.region(text);
    }

    private void checkHasBackend(Node node, String region) {
        if (!backends.hasBackendIn(region)) {
            node.problem("no backend in region " + region);
        }
    }

    private static String backendDatabase(Fields f) {
        String name = f.string("backend_database");
        if (name != null && name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            f.problem("backend_database", "is longer than " + MAX_NAME_BYTES + " bytes");
        }
        return name;
    }
}
