package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Refusals, renames and the explanation text: what the table test does not show. */
class RouterTest {
    private static final MeridianConfig CONFIG = TestGeo.config();
    private static final Router ROUTER = Router.open(CONFIG);
    private static final HealthSnapshot UP = HealthSnapshot.assumeUp(CONFIG.backends());

    private static RouteDecision route(String database, String ip, Map<String, String> options) {
        return ROUTER.route(RouteRequest.of(database, TestGeo.client(ip), options), UP);
    }

    @Test
    void unservedDatabaseIs3D000() {
        MeridianConfig noDefault = ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                backends: [ { name: iad-1, region: iad, host: h } ]
                databases: { app: {} }
                """, Map.of(), null);
        Router router = new Router(noDefault, GeoLocator.open(noDefault));
        assertThatThrownBy(() -> router.route(RouteRequest.of("other", null, Map.of()), UP))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("3D000");
                    assertThat(e.getMessage()).isEqualTo("database \"other\" is not served by this proxy");
                });
    }

    @Test
    void noBackendIs57P03NamingTheDatabaseAndItsRegions() {
        var eu = CONFIG.routeFor("eu_any").orElseThrow();
        assertThat(Router.noBackend("eu_any", eu)).satisfies(e -> {
            assertThat(e.sqlState()).isEqualTo("57P03");
            assertThat(e.getMessage()).isEqualTo("no backend available for database \"eu_any\" in regions lhr, fra");
        });
        var any = CONFIG.routeFor("app").orElseThrow();
        assertThat(Router.noBackend("app", any).getMessage()).isEqualTo("no backend available for database \"app\" in any region");
    }

    @Test
    void aReadWriteSessionWithOnlyReplicasLeftIsToldItNeedsAPrimaryAndHowToReadAnyway() {
        MeridianConfig config = ConfigLoader.parse("""
                region: iad
                auth: { method: trust }
                backends:
                  - { name: iad-p, region: iad, host: h, role: primary }
                  - { name: iad-r, region: iad, host: h, role: replica }
                databases: { app: { regions: [iad] } }
                """, Map.of(), null);
        Router router = Router.open(config);
        RouteRequest readWrite = RouteRequest.of("app", null, Map.of());
        HealthSnapshot primaryDown = HealthSnapshot.of(Map.of(
                "iad-p", new BackendHealth(false, BackendRole.PRIMARY, null),
                "iad-r", new BackendHealth(true, BackendRole.REPLICA, null)));
        assertThat(Router.noBackend(router.route(readWrite, primaryDown))).satisfies(e -> {
            assertThat(e.sqlState()).isEqualTo("57P03");
            assertThat(e.getMessage()).isEqualTo("no primary available for database \"app\" in regions iad: a read-write"
                    + " session needs a primary; a read-only session (options=-c meridian.target=read-only) would be"
                    + " served by a replica, which is up");
        });
        HealthSnapshot allDown = HealthSnapshot.of(Map.of(
                "iad-p", new BackendHealth(false, BackendRole.PRIMARY, null),
                "iad-r", new BackendHealth(false, BackendRole.REPLICA, null)));
        assertThat(Router.noBackend(router.route(readWrite, allDown)).getMessage())
                .endsWith("would be served by a replica when one is up");
        RouteRequest readOnly = RouteRequest.of("app", null, Map.of("target", "read-only"));
        assertThat(Router.noBackend(router.route(readOnly, allDown)).getMessage())
                .isEqualTo("no backend available for database \"app\" in regions iad");
    }

    @Test
    void unknownPinnedRegionIs22023() {
        assertThatThrownBy(() -> route("app", null, Map.of("region", "atlantis")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22023");
                    assertThat(e.getMessage()).contains("meridian.region").contains("atlantis");
                });
    }

    @Test
    void unknownTargetIs22023() {
        assertThatThrownBy(() -> RouteRequest.of("app", null, Map.of("target", "primary")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22023");
                    assertThat(e.getMessage()).contains("meridian.target").contains("read-only");
                });
    }

    @Test
    void otherMeridianOptionsAreRefusedNotIgnored() {
        assertThatThrownBy(() -> route("app", TestGeo.LONDON, Map.of("colour", "blue")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"))
                .hasMessageContaining("\"meridian.colour\"");
    }

    @Test
    void backendDatabaseRenames() {
        assertThat(route("eu_orders", null, Map.of()).backendDatabase()).isEqualTo("orders");
        assertThat(route("app", null, Map.of()).backendDatabase()).isEqualTo("app");
    }

    @Test
    void laterCandidatesAreFailovers() {
        RouteDecision d = route("app", TestGeo.LONDON, Map.of());
        assertThat(d.reasonAt(0)).isEqualTo(RouteReason.GEO);
        assertThat(d.reasonAt(1)).isEqualTo(RouteReason.FAILOVER);
        assertThat(d.clientRegion()).isEqualTo("lhr");
    }

    @Test
    void clientRegionOfAnMmdbLocationIsTheNearestKnownRegion() {
        // Changchun is nearest to Tokyo among Fly regions, though no backend runs there.
        assertThat(route("app", TestGeo.CHANGCHUN, Map.of()).clientRegion()).isEqualTo("nrt");
    }

    @Test
    void tableExplainsEveryBackend() {
        String text = DecisionText.table(route("eu_orders", TestGeo.LONDON, Map.of()), "assumed");
        assertThat(text)
                .contains("database  eu_orders (rule \"eu_orders\": regions lhr, prefer nearest) -> backend database \"orders\"")
                .contains("client    81.2.69.142 (--client-ip)")
                .contains("location  lhr via geo.mmdb: London, GB (51.51, -0.09)")
                .contains("target    read-write: primaries only")
                .contains("health    assumed")
                .containsPattern("1  lhr-1 +lhr +primary +yes +\\d+ km +-")
                .containsPattern("-  sin-r +sin +replica +yes +[\\d,]+ km +- +outside the database's regions \\(lhr\\)")
                .contains("chosen    lhr-1 (lhr), reason: database");
    }

    @Test
    void tableSaysWhenNothingIsChosen() {
        HealthSnapshot lhrDown = name -> name.equals("lhr-1") ? HealthSnapshot.UNKNOWN : UP.health(name);
        RouteDecision d = ROUTER.route(RouteRequest.of("eu_orders", null, Map.of()), lhrDown);
        assertThat(d.ranked()).isEmpty();
        assertThat(d.reason()).isNull();
        assertThat(DecisionText.table(d, "x")).containsPattern("-  lhr-1 +lhr +auto +no .* down").contains("chosen    none");
    }

    @Test
    void logLineNamesTheBackendUsedAndItsReason() {
        RouteDecision d = route("app", TestGeo.LONDON, Map.of("target", "read-only"));
        assertThat(DecisionText.oneLine(d, 0))
                .startsWith("route database=app rule=\"*\" client=81.2.69.142 (--client-ip) location=lhr via geo.mmdb")
                .contains("target=read-only")
                .contains("candidates=[iad-r iad 5,925 km rtt=-, sin-r sin")
                .endsWith("chosen=iad-r reason=geo");
        assertThat(DecisionText.oneLine(d, 2)).endsWith("chosen=lhr-1 reason=failover");
        assertThat(DecisionText.oneLine(d, -1)).endsWith("chosen=none");
    }
}
