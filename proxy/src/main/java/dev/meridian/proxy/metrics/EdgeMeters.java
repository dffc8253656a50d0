package dev.meridian.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge listener's meters: {@code meridian_edge_requests_total{endpoint, status}} (endpoint
 * {@code sql}, {@code websocket} or {@code other}; status the HTTP status code) and
 * {@code meridian_edge_request_duration_seconds{backend_region}} ({@code none} when the request
 * never reached a backend). Series are resolved once per label set.
 */
public final class EdgeMeters {
    static final String REQUESTS = "meridian.edge.requests";
    static final String DURATION = "meridian.edge.request.duration";

    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    public EdgeMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One answered request; {@code backendRegion} null when no backend was reached. */
    public void answered(String endpoint, int status, String backendRegion, long nanos) {
        requests.computeIfAbsent(endpoint + ' ' + status, k -> Counter.builder(REQUESTS)
                .description("Edge HTTP requests (and WebSocket upgrades) by endpoint and HTTP status")
                .tags("endpoint", endpoint, "status", Integer.toString(status))
                .register(registry)).increment();
        String region = backendRegion == null ? Meters.NONE : backendRegion;
        durations.computeIfAbsent(region, r -> Timer.builder(DURATION)
                .description("Edge requests from arrival to the last byte of the answer, by the backend's region")
                .tags(Meters.BACKEND_REGION, r)
                .serviceLevelObjectives(Meters.LATENCY_BUCKETS)
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
