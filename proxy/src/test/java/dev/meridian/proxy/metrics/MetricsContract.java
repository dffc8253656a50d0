package dev.meridian.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DESIGN.md's Metrics table, as the tests check it: the exposed sample name, then its labels. */
public final class MetricsContract {
    /** For histograms the {@code _bucket} series, which also carries {@code le}. */
    public static final Map<String, Set<String>> SERIES = table();

    /** Labels Fly's scraper overwrites: Meridian must never use them. */
    public static final List<String> RESERVED_LABELS = List.of("region", "app", "host", "instance");

    private MetricsContract() {
    }

    private static Map<String, Set<String>> table() {
        Map<String, Set<String>> t = new LinkedHashMap<>();
        t.put("meridian_client_connections", Set.of("state"));
        t.put("meridian_sessions_total", Set.of("backend_region", "database", "outcome"));
        t.put("meridian_session_duration_seconds_bucket", Set.of("backend_region", "le"));
        t.put("meridian_backend_connect_seconds_bucket", Set.of("backend_region", "backend", "pooled", "le"));
        t.put("meridian_query_duration_seconds_bucket", Set.of("backend_region", "database", "le"));
        t.put("meridian_bytes_total", Set.of("backend_region", "direction"));
        t.put("meridian_auth_failures_total", Set.of("reason"));
        t.put("meridian_backend_up", Set.of("backend_region", "backend", "role"));
        t.put("meridian_backend_health_rtt_seconds", Set.of("backend_region", "backend"));
        t.put("meridian_route_decisions_total", Set.of("client_region", "backend_region", "reason"));
        t.put("meridian_pool_connections", Set.of("backend_region", "backend", "state"));
        return Map.copyOf(t);
    }

    /** Every contract series is present with exactly its labels, and no series uses a reserved label. */
    public static void assertSatisfiedBy(Exposition exposition) {
        SERIES.forEach((name, labels) -> {
            assertThat(exposition.series(name)).as("series %s", name).isNotEmpty();
            assertThat(exposition.labelKeys(name)).as("labels of %s", name).isEqualTo(labels);
        });
        exposition.samples().forEach(s -> assertThat(s.labels().keySet())
                .as("labels of %s", s.name()).doesNotContainAnyElementsOf(RESERVED_LABELS));
    }
}
