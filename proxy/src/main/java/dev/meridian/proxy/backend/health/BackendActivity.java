package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendConfig;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Evidence of life from the session path: how many queries each backend has answered
 * (ReadyForQuery messages relayed), counted by the relays and read by the health checks. A
 * probe that times out while this count moves has met a busy backend, not a dead one.
 *
 * <p>A relay resolves its backend's counter once, at start; each answer is then one
 * {@link LongAdder#increment()}, striped per thread. Keyed by the whole definition, so a
 * reloaded backend (say, a new host under the same name) starts from nothing.
 */
public final class BackendActivity {
    private final Map<BackendConfig, LongAdder> answers = new ConcurrentHashMap<>();

    /** The counter a relay on {@code backend} increments for each query answered. */
    public LongAdder answersOf(BackendConfig backend) {
        return answers.computeIfAbsent(backend, b -> new LongAdder());
    }

    /** Queries {@code backend} has answered so far (only differences mean anything). */
    long answered(BackendConfig backend) {
        LongAdder a = answers.get(backend);
        return a == null ? 0 : a.sum();
    }

    /** Forgets backends that are no longer configured (after a reload). */
    void retainOnly(Collection<BackendConfig> backends) {
        answers.keySet().retainAll(new HashSet<>(backends));
    }
}
