package dev.meridian.proxy.server.admin;

import java.time.Duration;

/**
 * What one admin HTTP client may hold, so that no client (a flood of pipelined requests, a
 * thousand half-sent ones) can wedge {@code /health}, {@code /ready} or {@code /metrics}:
 *
 * @param maxConnections admin connections open at once; one more is answered 503 and closed
 * @param maxPipelined requests a connection may have outstanding (queued behind the one being
 *     answered) and may send in one read; past it the connection is closed
 * @param requestTimeout time to send a complete request, from the connection's start or from the
 *     previous answer, and to take each answer off our hands; past it the connection is closed
 * @param maxInitialLine bytes of the request line
 * @param maxHeaderBytes bytes of all headers
 * @param maxBodyBytes bytes of a request body (admin routes take none worth having)
 */
public record AdminLimits(int maxConnections, int maxPipelined, Duration requestTimeout,
                          int maxInitialLine, int maxHeaderBytes, int maxBodyBytes) {
    public static final AdminLimits DEFAULT = new AdminLimits(512, 16, Duration.ofSeconds(10), 4096, 8192, 64 * 1024);
}
