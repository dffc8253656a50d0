package dev.meridian.proxy.edge;

import dev.meridian.proxy.config.EdgeConfig;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * CORS for browser pages calling {@code /sql} (the driver's HTTP mode works from a browser).
 * A request without {@code Origin} is not a browser's cross-origin call and is not affected.
 * An origin outside {@code edge.cors_origins} is refused outright (403), preflight or not, so a
 * disallowed page never gets as far as a query.
 */
final class Cors {
    /** What the driver sends, plus the read-your-writes position. */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Neon-Connection-String, Neon-Raw-Text-Output, "
            + "Neon-Array-Mode, Neon-Batch-Isolation-Level, Neon-Batch-Read-Only, Neon-Batch-Deferrable, Neon-Pool-Opt-In, "
            + EdgeReads.HEADER;

    private Cors() {
    }

    /** The request's Origin, or null when it has none. */
    static String origin(HttpRequest request) {
        return request.headers().get(HttpHeaderNames.ORIGIN);
    }

    static boolean allowed(EdgeConfig edge, String origin) {
        return origin == null || edge.corsAllows(origin);
    }

    static boolean isPreflight(HttpRequest request) {
        return request.method().name().equals("OPTIONS")
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** 204 with what the page may send; only for an allowed origin. */
    static FullHttpResponse preflight(String origin) {
        FullHttpResponse response = HttpReplies.empty(HttpResponseStatus.NO_CONTENT);
        HttpHeaders h = response.headers();
        decorate(h, origin);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        return response;
    }

    /** The headers every answer to an allowed cross-origin request carries. */
    static void decorate(HttpHeaders h, String origin) {
        if (origin == null) {
            return;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Meridian-Backend-Region, " + EdgeReads.HEADER);
    }
}
