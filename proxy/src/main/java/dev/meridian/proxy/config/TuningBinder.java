package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.time.Duration;

/** Binds the sections of knobs: {@code auth}, {@code health}, {@code pool}, {@code limits}. */
final class TuningBinder {

    private TuningBinder() {}

    static AuthConfig auth(Node node) {
        Fields f = Fields.of(node, "users_file", "auth_query", "method", "failure_backoff",
                "auth_query_connections", "auth_query_timeout");
        Path usersFile = f.file("users_file");
        int before = f.problemCount();
        String authQuery = f.string("auth_query");
        boolean queryReported = f.problemCount() > before;
        if (authQuery != null && !authQuery.contains("$1")) {
            f.problem("auth_query", "must contain $1 (where the user name goes)");
        }
        AuthMethod method = f.choice("method", AuthMethod.SCRAM_SHA_256, AuthMethod.class);
        boolean noSource = !f.has("users_file") && authQuery == null && !queryReported;
        if (method != AuthMethod.TRUST && noSource) {
            f.problem("method", Choice.word(method) + " needs " + f.path("users_file") + " or "
                    + f.path("auth_query"));
        }
        AuthQueryLimits d = AuthQueryLimits.DEFAULT;
        AuthQueryLimits limits = new AuthQueryLimits(f.integer("auth_query_connections", d.connections(), 1, 100),
                f.duration("auth_query_timeout", d.timeout(), false));
        return new AuthConfig(usersFile, authQuery, method, failureBackoff(f.node("failure_backoff")), limits);
    }

    static FailureBackoff failureBackoff(Node node) {
        FailureBackoff d = FailureBackoff.DEFAULT;
        Fields f = Fields.of(node, "after", "initial", "max", "window");
        int after = f.integer("after", d.after(), 0, Integer.MAX_VALUE);
        Duration initial = atMostLongestDelay(f, "initial", f.duration("initial", d.initial(), false));
        // An initial delay above the default cap raises the cap with it, unless max is given.
        Duration max = atMostLongestDelay(f, "max",
                f.duration("max", initial.compareTo(d.max()) > 0 ? initial : d.max(), false));
        if (max.compareTo(initial) < 0) {
            f.problem("max", "must not be less than " + f.path("initial") + " ("
                    + Units.formatDuration(initial) + ")");
            max = initial;
        }
        return new FailureBackoff(after, initial, max, f.duration("window", d.window(), false));
    }

    private static Duration atMostLongestDelay(Fields f, String key, Duration value) {
        if (value.compareTo(FailureBackoff.LONGEST_DELAY) <= 0) {
            return value;
        }
        f.problem(key, "must be at most " + Units.formatDuration(FailureBackoff.LONGEST_DELAY)
                + " (a delayed answer holds its connection open)");
        return FailureBackoff.LONGEST_DELAY;
    }

    static HealthConfig health(Node node) {
        HealthConfig d = HealthConfig.DEFAULT;
        Fields f = Fields.of(node, "interval", "timeout", "rise", "fall", "grace_period", "max_replica_lag",
                "causal_wait");
        Duration interval = f.duration("interval", d.interval(), false);
        Duration timeout = f.duration("timeout", d.timeout(), false);
        if (timeout.compareTo(interval) > 0) {
            f.problem("timeout", "must not exceed " + f.path("interval") + " ("
                    + Units.formatDuration(interval) + ")");
        }
        return new HealthConfig(interval, timeout,
                f.integer("rise", d.rise(), 1, Integer.MAX_VALUE),
                f.integer("fall", d.fall(), 1, Integer.MAX_VALUE),
                f.duration("grace_period", d.gracePeriod(), true),
                f.duration("max_replica_lag", d.maxReplicaLag(), true),
                f.duration("causal_wait", d.causalWait(), true));
    }

    static PoolConfig pool(Node node) {
        PoolConfig d = PoolConfig.DEFAULT;
        Fields f = Fields.of(node, "max_per_backend", "idle_timeout", "reset_query", "min_idle", "mode",
                "max_prepared_statements");
        int max = f.integer("max_per_backend", d.maxPerBackend(), 1, Integer.MAX_VALUE);
        int minIdle = f.integer("min_idle", d.minIdle(), 0, Integer.MAX_VALUE);
        if (minIdle > max) {
            f.problem("min_idle",
                    "must not exceed " + f.path("max_per_backend") + " (" + max + ")");
        }
        // Not f.string(): there an empty string means "not given", here it means "no reset".
        String resetQuery = f.node("reset_query").text("a string");
        return new PoolConfig(max, f.duration("idle_timeout", d.idleTimeout(), true),
                resetQuery == null ? d.resetQuery() : resetQuery, minIdle,
                f.choice("mode", PoolMode.SESSION, PoolMode.class),
                f.integer("max_prepared_statements", d.maxPreparedStatements(), 0, 100_000));
    }

    static LimitsConfig limits(Node node) {
        LimitsConfig d = LimitsConfig.DEFAULT;
        Fields f = Fields.of(
                node, "max_client_connections", "startup_timeout", "max_message_bytes", "idle_transaction_timeout",
                "query_wait_timeout");
        return new LimitsConfig(
                f.integer("max_client_connections", d.maxClientConnections(), 1, Integer.MAX_VALUE),
                f.duration("startup_timeout", d.startupTimeout(), false),
                f.size("max_message_bytes", d.maxMessageBytes(),
                        LimitsConfig.MIN_MESSAGE_BYTES, LimitsConfig.MAX_MESSAGE_BYTES),
                f.duration("idle_transaction_timeout", d.idleTransactionTimeout(), true),
                f.duration("query_wait_timeout", d.queryWaitTimeout(), false));
    }
}
