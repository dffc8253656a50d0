package dev.meridian.proxy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings that load but cannot work as meant: {@code meridian check} prints them as
 * {@code warning:} lines and still exits 0, since each can be intended on some instance (a
 * region may get its backends later). Each names the key to change and what will happen.
 */
public final class ConfigWarnings {

    private ConfigWarnings() {}

    public static List<String> of(MeridianConfig config) {
        List<String> warnings = new ArrayList<>();
        for (DatabaseRule rule : config.databases()) {
            String path = KeyPath.key("databases", rule.pattern());
            List<BackendConfig> backends = backendsOf(rule, config);
            authQueryWithoutUser(config, path, rule, backends, warnings);
            onlyReplicas(path, rule, backends, warnings);
            localOutsideRegions(config, path, rule, warnings);
            autoInSessionMode(config, path, rule, warnings);
        }
        return warnings;
    }

    /** The auth query runs as a backend's own user: a route whose backends have none cannot ask. */
    private static void authQueryWithoutUser(MeridianConfig config, String path, DatabaseRule rule,
            List<BackendConfig> backends, List<String> warnings) {
        if (config.auth().authQuery() == null || backends.stream().anyMatch(b -> b.user() != null)) {
            return;
        }
        String who = config.auth().usersFile() == null ? "every login" : "every login of a user not in auth.users_file";
        warnings.add(path + ": auth.auth_query runs as a backend's configured user, but no backend in "
                + regionsOf(rule) + " has a user: " + who + " to this database will fail"
                + " (give one of them user: and password:)");
    }

    /** Read-write is the default target; replicas never take it. */
    private static void onlyReplicas(String path, DatabaseRule rule, List<BackendConfig> backends,
            List<String> warnings) {
        if (!backends.isEmpty() && backends.stream().allMatch(b -> b.role() == BackendRole.REPLICA)) {
            warnings.add(path + ": every backend in " + regionsOf(rule) + " has role: replica, so"
                    + " read-write sessions (the default) will be refused with 57P03; only sessions"
                    + " with options=-c meridian.target=read-only are served");
        }
    }

    private static void localOutsideRegions(MeridianConfig config, String path, DatabaseRule rule,
            List<String> warnings) {
        if (rule.prefer().kind() == Preference.Kind.LOCAL && !rule.regions().isEmpty()
                && !rule.regions().contains(config.region())) {
            warnings.add(path + ".prefer: local has no effect on this instance: its region "
                    + config.region() + " is not among the rule's regions (" + String.join(", ", rule.regions())
                    + "), so the nearest is used");
        }
    }

    /** target: auto routes per transaction; a session-pooled session keeps one backend, the primary. */
    private static void autoInSessionMode(MeridianConfig config, String path, DatabaseRule rule,
            List<String> warnings) {
        if (rule.target() != RuleTarget.AUTO || rule.poolModeOr(config.pool().mode()) == PoolMode.TRANSACTION) {
            return;
        }
        String port = config.listen().transactionPort() == null ? ""
                : " except on listen.transaction_port (" + config.listen().transactionPort() + ")";
        warnings.add(path + ".target: auto routes each transaction on its own only in transaction mode; this rule's"
                + " sessions are session-pooled" + port + ", where auto behaves as read-write (everything on the"
                + " primary): set pool_mode: transaction on the rule to route reads to replicas");
    }

    private static List<BackendConfig> backendsOf(DatabaseRule rule, MeridianConfig config) {
        return config.backends().stream()
                .filter(b -> rule.regions().isEmpty() || rule.regions().contains(b.region()))
                .toList();
    }

    private static String regionsOf(DatabaseRule rule) {
        return rule.regions().isEmpty() ? "any region" : "regions " + String.join(", ", rule.regions());
    }
}
