package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.routing.BackendHealth;
import java.time.Instant;

/**
 * One backend as its checker last saw it: what the router needs ({@link #health()}), plus what
 * operators and metrics want to read.
 *
 * @param since  when {@code state} last changed (start time until the first change)
 * @param reason why it is not up (the last failed check or the session's connect error); while
 *               it is up, null or why the last check counted neither way (e.g. busy: 53300)
 * @param facts  what the last passing check read of the server (cluster, timeline), or null
 */
public record BackendStatus(BackendConfig backend, CheckState state, BackendHealth health, Instant since,
                            String reason, ServerFacts facts) {
    public BackendStatus(BackendConfig backend, CheckState state, BackendHealth health, Instant since, String reason) {
        this(backend, state, health, since, reason, null);
    }

    /** Before the first check: up, with the configured role and no RTT yet. */
    static BackendStatus assumedUp(BackendConfig backend, Instant since) {
        return new BackendStatus(backend, CheckState.UP, new BackendHealth(true, backend.role(), null), since, null);
    }

    public String name() {
        return backend.name();
    }

    public String region() {
        return backend.region();
    }

    public boolean up() {
        return health.up();
    }
}
