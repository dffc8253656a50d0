package dev.meridian.proxy.metrics;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import dev.meridian.proxy.server.admin.AdminRequest;
import dev.meridian.proxy.server.admin.AdminResponse;
import io.micrometer.core.instrument.MockClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** A metrics facade over a two-region configuration, with a clock the test moves. */
final class MetricsFixture implements AutoCloseable {
    static final String YAML = """
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-1, region: iad, host: iad.internal }
              - { name: lhr-1, region: lhr, host: lhr.internal }
            databases:
              orders: { regions: [lhr] }
              "shop*": { regions: [iad] }
              "*": { regions: [iad] }
            """;

    final MeridianConfig config = ConfigLoader.parse(YAML, Map.of(), Path.of("."));
    final MockClock clock = new MockClock();
    final MeridianMetrics metrics = new MeridianMetrics(() -> config, clock);

    BackendConfig backend(String name) {
        return config.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    AdminResponse get(String accept) {
        return metrics.scrapeRoute().handle(new AdminRequest("GET", "/metrics", Map.of(), accept));
    }

    String scrapeText() {
        return new String(get("").body(), StandardCharsets.UTF_8);
    }

    Exposition scrape() {
        return Exposition.parse(scrapeText());
    }

    @Override
    public void close() {
        metrics.close();
    }
}
