package dev.meridian.proxy.metrics;

import dev.meridian.proxy.routing.RouteReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.DatabaseRule;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No label value may carry a user name or a client address, and a client must not be able to
 * mint label values: everything a client controls is pushed through every facade entry point
 * here, and every label value that comes out must come from configuration or a fixed vocabulary.
 */
class LabelSafetyTest {
    private static final String USER = "alice_canary";
    private static final String ADDRESS = "203.0.113.77";
    private static final List<String> CLIENT_STRINGS = List.of(USER, ADDRESS, USER + "@" + ADDRESS,
            "shop_" + USER, "password for " + USER, "");

    private final MetricsFixture f = new MetricsFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void nothingAClientSendsBeforeABackendAcceptsItBecomesALabel() {
        for (String s : CLIENT_STRINGS) {
            EmbeddedChannel refused = new EmbeddedChannel();
            f.metrics.clientConnected(refused);
            f.metrics.startupReceived(refused, s);
            f.metrics.sessionRefused(refused, "28P01");
            EmbeddedChannel failed = new EmbeddedChannel();
            f.metrics.clientConnected(failed);
            f.metrics.startupReceived(failed, s);
            f.metrics.backendFailed(failed, f.backend("iad-1"), "3D000");
            f.metrics.routeDecided(s, s, RouteReason.GEO);
            f.metrics.authFailed(s);
        }
        EmbeddedChannel ok = new EmbeddedChannel();
        f.metrics.clientConnected(ok);
        f.metrics.startupReceived(ok, "orders");
        f.metrics.sessionStarted(ok, f.backend("lhr-1"), "orders").ended();

        String text = f.scrapeText();
        assertThat(text).doesNotContain(USER).doesNotContain(ADDRESS);
        Set<String> allowed = allowedValues(Set.of("orders"));
        Exposition.parse(text).samples().stream().filter(s -> s.name().startsWith("meridian_")).forEach(s ->
                s.labels().forEach((key, value) -> {
                    if (!key.equals("le")) {
                        assertThat(allowed).as("%s{%s=\"%s\"}", s.name(), key, value).contains(value);
                    }
                }));
    }

    @Test
    void aFailedAttemptIsLabelledWithTheRuleThatMatchedItsDatabase() {
        EmbeddedChannel c = new EmbeddedChannel();
        f.metrics.clientConnected(c);
        f.metrics.startupReceived(c, "shop_" + USER);
        f.metrics.backendFailed(c, f.backend("iad-1"), "3D000");
        assertThat(f.scrape().value("meridian_sessions_total", Map.of("outcome", "backend_error")))
                .isEqualTo(1);
        assertThat(f.scrape().series("meridian_sessions_total")).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("database", "shop*"));
    }

    /** Configuration-derived values, the contract's vocabularies, and the databases backends accepted. */
    private Set<String> allowedValues(Set<String> acceptedDatabases) {
        Set<String> allowed = new HashSet<>(f.config.regions().keySet());
        f.config.backends().stream().map(BackendConfig::name).forEach(allowed::add);
        f.config.databases().stream().map(DatabaseRule::pattern).forEach(allowed::add);
        allowed.addAll(acceptedDatabases);
        allowed.addAll(MeridianMetrics.AUTH_FAILURE_REASONS);
        for (SessionOutcome o : SessionOutcome.values()) {
            allowed.add(o.label());
        }
        for (RouteReason r : RouteReason.values()) {
            allowed.add(r.label());
        }
        for (Direction d : Direction.values()) {
            allowed.add(d.label());
        }
        allowed.addAll(List.of("none", "unknown", "true", "false", "startup", "active", "idle",
                "primary", "replica", "auto"));
        return allowed;
    }
}
