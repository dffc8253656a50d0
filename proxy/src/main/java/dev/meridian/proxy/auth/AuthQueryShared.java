package dev.meridian.proxy.auth;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What outlives one configuration's {@link AuthQuery}: the per-backend connection budgets (a
 * reload must not double them while old lookups are in flight) and the lookup outcomes behind
 * {@code meridian_auth_query_total{outcome}} (no user names in labels).
 */
public final class AuthQueryShared {
    /** found / not_found: answered; cached: from the cache; timeout; abandoned: the client left; error. */
    public static final List<String> OUTCOMES = List.of("found", "not_found", "cached", "timeout", "abandoned", "error");

    private final Map<String, AuthQueryBudget> budgets = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    public AuthQueryShared() {
        OUTCOMES.forEach(o -> outcomes.put(o, new LongAdder()));
    }

    AuthQueryBudget budget(String backend) {
        return budgets.computeIfAbsent(backend, b -> new AuthQueryBudget());
    }

    /** Auth query connections open to {@code backend} right now. */
    public int inUse(String backend) {
        AuthQueryBudget b = budgets.get(backend);
        return b == null ? 0 : b.inUse();
    }

    void count(String outcome) {
        outcomes.get(outcome).increment();
    }

    /** Lookups so far that ended in {@code outcome}. */
    public long total(String outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Registers {@code meridian_auth_query_total{outcome}}. */
    public void bind(MeterRegistry registry) {
        outcomes.forEach((outcome, adder) -> FunctionCounter.builder("meridian.auth.query", adder, LongAdder::sum)
                .description("auth_query lookups by outcome").tag("outcome", outcome).register(registry));
    }
}
