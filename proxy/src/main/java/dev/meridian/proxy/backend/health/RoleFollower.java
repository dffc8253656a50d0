package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendRole;
import java.util.Optional;

/**
 * The role the router uses for a backend. {@code role: auto} follows what
 * {@code pg_is_in_recovery()} says, through promotions and demotions, and keeps the last
 * answer while the server cannot be asked. A configured {@code primary} or {@code replica}
 * stays as configured (the operator said so), but when the server disagrees that is reported
 * once, when the disagreement starts.
 *
 * <p>Pure and single-threaded, like {@link RiseFall}.
 */
public final class RoleFollower {
    /** Something worth one log line: a followed role changed, or the server contradicts the configuration. */
    public record RoleEvent(BackendRole from, BackendRole to, boolean contradictsConfig) {
    }

    private final BackendRole configured;
    private BackendRole observed;

    public RoleFollower(BackendRole configured) {
        this(configured, null);
    }

    /** Carries over the role last seen by an earlier checker of the same server (null: none). */
    public RoleFollower(BackendRole configured, BackendRole lastSeen) {
        this.configured = configured;
        this.observed = lastSeen == BackendRole.AUTO ? null : lastSeen;
    }

    /** The role for routing: the configured one, or for {@code auto} the last observed (AUTO until known). */
    public BackendRole effective() {
        if (configured != BackendRole.AUTO || observed == null) {
            return configured;
        }
        return observed;
    }

    /**
     * Records what a probe saw; {@code seen} is PRIMARY, REPLICA, or null when the probe could not
     * ask (no login). Returns the event to log, if any.
     */
    public Optional<RoleEvent> observe(BackendRole seen) {
        if (seen == null || seen == observed) {
            return Optional.empty();
        }
        BackendRole before = observed;
        observed = seen;
        if (configured == BackendRole.AUTO) {
            return Optional.of(new RoleEvent(before == null ? BackendRole.AUTO : before, seen, false));
        }
        if (seen != configured) {
            return Optional.of(new RoleEvent(configured, seen, true));
        }
        return Optional.empty();
    }
}
