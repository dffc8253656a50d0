package dev.meridian.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code edge:} listener: SQL over HTTP ({@code POST /sql}) and Postgres over WebSocket for
 * code that cannot hold a TCP connection (docs/edge.md).
 *
 * @param trustedProxies peers whose {@code Fly-Client-IP} / {@code CF-Connecting-IP} /
 *                       {@code X-Forwarded-For} headers are believed
 * @param corsOrigins    browser origins allowed to call {@code /sql} ({@code "*"}: any)
 * @param jwt            Bearer-token verification, or null when tokens are not accepted
 */
public record EdgeConfig(String host, int port, List<Cidr> trustedProxies, List<String> corsOrigins,
                         EdgeJwtConfig jwt, Limits limits) {

    public EdgeConfig {
        Objects.requireNonNull(host, "host");
        trustedProxies = List.copyOf(trustedProxies);
        corsOrigins = List.copyOf(corsOrigins);
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * @param maxConcurrentRequests {@code /sql} requests in flight per instance; past it 429
     */
    public record Limits(long maxRequestBytes, long maxResponseBytes, Duration requestTimeout,
                         int maxConcurrentRequests) {
        public static final Limits DEFAULT = new Limits(10L << 20, 10L << 20, Duration.ofSeconds(15), 256);
    }

    /** Whether a browser page served from {@code origin} may call the edge. */
    public boolean corsAllows(String origin) {
        return corsOrigins.contains("*") || corsOrigins.contains(origin);
    }
}
