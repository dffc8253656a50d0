package dev.meridian.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * Routing for the databases whose name matches {@code pattern} (an exact name or a shell glob;
 * {@code "*"} matches everything). {@code regions} empty means every region is allowed;
 * {@code backendDatabase} (null = same name) is the database asked for on the backend;
 * {@code poolMode} (null = {@code pool.mode}) is how its sessions are pooled;
 * {@code replication} allows walsender startups ({@code replication=database|true}), which are
 * then never pooled; {@code target} is where its sessions go unless the client says otherwise
 * ({@code auto}: each transaction on its own, docs/read-routing.md).
 */
public record DatabaseRule(String pattern, List<String> regions, Preference prefer, String backendDatabase,
        PoolMode poolMode, boolean replication, RuleTarget target) {

    public DatabaseRule {
        Objects.requireNonNull(pattern, "pattern");
        String error = Glob.syntaxError(pattern);
        if (error != null) {
            throw new IllegalArgumentException(
                    "bad pattern " + KeyPath.quote(pattern) + ": " + error);
        }
        regions = List.copyOf(regions);
        Objects.requireNonNull(prefer, "prefer");
        Objects.requireNonNull(target, "target");
    }

    /** Read-write by default. */
    public DatabaseRule(String pattern, List<String> regions, Preference prefer, String backendDatabase,
            PoolMode poolMode, boolean replication) {
        this(pattern, regions, prefer, backendDatabase, poolMode, replication, RuleTarget.READ_WRITE);
    }

    /** Pooled as {@code pool.mode} says; refuses replication (walsender) startups, the default. */
    public DatabaseRule(String pattern, List<String> regions, Preference prefer, String backendDatabase) {
        this(pattern, regions, prefer, backendDatabase, null, false);
    }

    /** Refuses replication (walsender) startups, the default. */
    public DatabaseRule(String pattern, List<String> regions, Preference prefer, String backendDatabase,
            PoolMode poolMode) {
        this(pattern, regions, prefer, backendDatabase, poolMode, false);
    }

    /** Pooled as {@code pool.mode} says. */
    public DatabaseRule(String pattern, List<String> regions, Preference prefer, String backendDatabase,
            boolean replication) {
        this(pattern, regions, prefer, backendDatabase, null, replication);
    }

    /** This rule's pooling mode, {@code pool.mode} when it names none. */
    public PoolMode poolModeOr(PoolMode fallback) {
        return poolMode == null ? fallback : poolMode;
    }

    /** The configuration path of one of this rule's keys, e.g. {@code databases.cdc.replication}. */
    public String keyPath(String key) {
        return KeyPath.key(KeyPath.key(KeyPath.key(KeyPath.ROOT, "databases"), pattern), key);
    }

    /** Whether a client asking for {@code database} is routed by this rule. */
    public boolean matches(String database) {
        return Glob.matches(pattern, database);
    }

    /** The single database name this rule routes when its pattern has no wildcard, else null. */
    public String exactName() {
        return Glob.literal(pattern);
    }

    /** The database name to request from the backend for a client's {@code database}. */
    public String backendDatabaseFor(String database) {
        return backendDatabase == null ? database : backendDatabase;
    }
}
