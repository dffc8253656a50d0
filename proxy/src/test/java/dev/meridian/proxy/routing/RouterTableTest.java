package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The routing rules of DESIGN.md as a table: who asks for what, from where, and where it goes. */
class RouterTableTest {
    private static final MeridianConfig CONFIG = TestGeo.config();
    private static final Router ROUTER = Router.open(CONFIG);

    /**
     * @param down  backends the snapshot reports down
     * @param rtts  measured RTTs in ms (others unmeasured)
     * @param order expected candidate order, best first
     */
    record Case(String name, String database, String ip, Map<String, String> options, Set<String> down,
                Map<String, Integer> rtts, List<String> order, RouteReason reason, ClientLocation.Source source) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        var geo = ClientLocation.Source.MMDB;
        var net = ClientLocation.Source.NETWORKS;
        var instance = ClientLocation.Source.INSTANCE_REGION;
        var pin = ClientLocation.Source.PINNED;
        return Stream.of(
                c("London client: nearest first, replicas never for read-write", "app", TestGeo.LONDON, Map.of(),
                        Set.of(), Map.of(), List.of("lhr-1", "fra-1", "iad-1", "iad-2", "sin-1"), RouteReason.GEO, geo),
                c("Changchun client lands in sin", "app", TestGeo.CHANGCHUN, Map.of(), Set.of(), Map.of(),
                        List.of("sin-1", "fra-1", "lhr-1", "iad-1", "iad-2"), RouteReason.GEO, geo),
                c("Milton WA client lands in iad", "app", TestGeo.MILTON_WA, Map.of(), Set.of(), Map.of(),
                        List.of("iad-1", "iad-2", "lhr-1", "fra-1", "sin-1"), RouteReason.GEO, geo),
                c("IPv6 Japan client lands in sin", "app", TestGeo.JAPAN_V6, Map.of(), Set.of(), Map.of(),
                        List.of("sin-1", "fra-1", "lhr-1", "iad-1", "iad-2"), RouteReason.GEO, geo),
                c("geo.networks place a client", "app", "203.0.113.9", Map.of(), Set.of(), Map.of(),
                        List.of("sin-1", "fra-1", "lhr-1", "iad-1", "iad-2"), RouteReason.GEO, net),
                c("most specific network wins", "app", "198.51.100.200", Map.of(), Set.of(), Map.of(),
                        List.of("lhr-1", "fra-1", "iad-1", "iad-2", "sin-1"), RouteReason.GEO, net),
                c("less specific network still applies outside the /25", "app", "198.51.100.5", Map.of(), Set.of(),
                        Map.of(), List.of("iad-1", "iad-2", "lhr-1", "fra-1", "sin-1"), RouteReason.GEO, net),
                c("unknown address: this instance's region", "app", TestGeo.NOWHERE, Map.of(), Set.of(), Map.of(),
                        List.of("iad-1", "iad-2", "lhr-1", "fra-1", "sin-1"), RouteReason.GEO, instance),
                c("no address: this instance's region", "app", null, Map.of(), Set.of(), Map.of(),
                        List.of("iad-1", "iad-2", "lhr-1", "fra-1", "sin-1"), RouteReason.GEO, instance),
                c("residency: a Singapore client stays in lhr", "eu_orders", "203.0.113.9", Map.of(), Set.of(),
                        Map.of(), List.of("lhr-1"), RouteReason.DATABASE, net),
                c("residency: nothing when its only region is down", "eu_orders", TestGeo.LONDON, Map.of(),
                        Set.of("lhr-1"), Map.of(), List.of(), null, geo),
                c("residency: failover stays inside", "eu_any", TestGeo.LONDON, Map.of(), Set.of("lhr-1"), Map.of(),
                        List.of("fra-1"), RouteReason.FAILOVER, geo),
                c("a down backend that ranks worse is no failover", "eu_any", "203.0.113.9", Map.of(),
                        Set.of("lhr-1"), Map.of(), List.of("fra-1"), RouteReason.GEO, net),
                c("nearest down: failover to the next", "app", TestGeo.LONDON, Map.of(), Set.of("lhr-1"), Map.of(),
                        List.of("fra-1", "iad-1", "iad-2", "sin-1"), RouteReason.FAILOVER, geo),
                c("read-only: replicas first, then primaries", "app", TestGeo.LONDON, Map.of("target", "read-only"),
                        Set.of(), Map.of(), List.of("iad-r", "sin-r", "lhr-1", "fra-1", "iad-1", "iad-2", "sin-1"),
                        RouteReason.GEO, geo),
                c("read-only from Asia: the nearer replica", "app", TestGeo.CHANGCHUN, Map.of("target", "read-only"),
                        Set.of(), Map.of(), List.of("sin-r", "iad-r", "sin-1", "fra-1", "lhr-1", "iad-1", "iad-2"),
                        RouteReason.GEO, geo),
                c("read-only with every replica down: a primary, as failover", "app", TestGeo.LONDON,
                        Map.of("target", "read-only"), Set.of("iad-r", "sin-r"), Map.of(),
                        List.of("lhr-1", "fra-1", "iad-1", "iad-2", "sin-1"), RouteReason.FAILOVER, geo),
                c("pinned region", "app", TestGeo.LONDON, Map.of("region", "sin"), Set.of(), Map.of(),
                        List.of("sin-1", "fra-1", "lhr-1", "iad-1", "iad-2"), RouteReason.PINNED, pin),
                c("a pin overrides prefer: local", "local_db", TestGeo.LONDON, Map.of("region", "sin"), Set.of(),
                        Map.of(), List.of("sin-1", "fra-1", "lhr-1", "iad-1", "iad-2"), RouteReason.PINNED, pin),
                c("a pin never crosses residency", "eu_orders", TestGeo.LONDON, Map.of("region", "sin"), Set.of(),
                        Map.of(), List.of("lhr-1"), RouteReason.DATABASE, pin),
                c("pinned region down: failover", "app", TestGeo.LONDON, Map.of("region", "sin"), Set.of("sin-1"),
                        Map.of(), List.of("fra-1", "lhr-1", "iad-1", "iad-2"), RouteReason.FAILOVER, pin),
                c("prefer local: this instance's region first, then by distance", "local_db", "203.0.113.9", Map.of(),
                        Set.of(), Map.of(), List.of("iad-1", "iad-2", "sin-1", "fra-1", "lhr-1"), RouteReason.LOCAL, net),
                c("prefer local with local down: nearest", "local_db", "203.0.113.9", Map.of(),
                        Set.of("iad-1", "iad-2"), Map.of(), List.of("sin-1", "fra-1", "lhr-1"), RouteReason.FAILOVER, net),
                c("prefer region", "sin_first", TestGeo.LONDON, Map.of(), Set.of(), Map.of(),
                        List.of("sin-1", "lhr-1", "fra-1", "iad-1", "iad-2"), RouteReason.DATABASE, geo),
                c("same distance: lower RTT first", "app", null, Map.of(), Set.of(), Map.of("iad-1", 5, "iad-2", 1),
                        List.of("iad-2", "iad-1", "lhr-1", "fra-1", "sin-1"), RouteReason.GEO, instance),
                c("same distance: unmeasured RTT last", "app", null, Map.of(), Set.of(), Map.of("iad-2", 3),
                        List.of("iad-2", "iad-1", "lhr-1", "fra-1", "sin-1"), RouteReason.GEO, instance),
                c("RTT never beats distance", "app", TestGeo.LONDON, Map.of(), Set.of(), Map.of("iad-1", 1, "lhr-1", 90),
                        List.of("lhr-1", "fra-1", "iad-1", "iad-2", "sin-1"), RouteReason.GEO, geo));
    }

    private static Case c(String name, String database, String ip, Map<String, String> options, Set<String> down,
                          Map<String, Integer> rtts, List<String> order, RouteReason reason, ClientLocation.Source source) {
        return new Case(name, database, ip, options, down, rtts, order, reason, source);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void routes(Case c) {
        RouteDecision d = ROUTER.route(RouteRequest.of(c.database(), TestGeo.client(c.ip()), c.options()), health(c));

        assertThat(d.candidates()).extracting(BackendConfig::name).containsExactlyElementsOf(c.order());
        assertThat(d.reason()).isEqualTo(c.reason());
        assertThat(d.location().source()).isEqualTo(c.source());
        assertThat(d.ranked().size() + d.excluded().size()).isEqualTo(CONFIG.backends().size());
        assertThat(d.excluded()).allSatisfy(x -> assertThat(x.excluded()).isNotBlank());
    }

    private static HealthSnapshot health(Case c) {
        Map<String, BackendHealth> map = new HashMap<>();
        for (BackendConfig b : CONFIG.backends()) {
            Integer ms = c.rtts().get(b.name());
            map.put(b.name(), new BackendHealth(!c.down().contains(b.name()), b.role(),
                    ms == null ? null : Duration.ofMillis(ms)));
        }
        return HealthSnapshot.of(map);
    }
}
