package dev.meridian.proxy.metrics;

import dev.meridian.proxy.server.admin.AdminRequest;
import dev.meridian.proxy.server.admin.AdminResponse;
import dev.meridian.proxy.server.admin.AdminRoute;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * {@code GET /metrics}: OpenMetrics when the scraper's Accept header names it (Prometheus
 * asks for it first), else the classic Prometheus text format (curl, anything that does not
 * say). The registry writes whichever format the content type passed to it names.
 */
final class ScrapeRoute implements AdminRoute {
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final int INITIAL_BUFFER = 32 * 1024;

    private final PrometheusMeterRegistry registry;
    private final Runnable beforeScrape;

    ScrapeRoute(PrometheusMeterRegistry registry, Runnable beforeScrape) {
        this.registry = registry;
        this.beforeScrape = beforeScrape;
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        if (!"GET".equals(request.method())) {
            return AdminResponse.text(405, "use GET\n");
        }
        String contentType = wantsOpenMetrics(request.accept()) ? OPENMETRICS : PROMETHEUS_TEXT;
        beforeScrape.run();
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER);
        try {
            registry.scrape(out, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AdminResponse(200, contentType, out.toByteArray());
    }

    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    }
}
