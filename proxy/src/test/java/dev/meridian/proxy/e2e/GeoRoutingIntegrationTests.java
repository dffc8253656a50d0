package dev.meridian.proxy.e2e;

import static dev.meridian.proxy.e2e.GeoRegions.CHANGCHUN;
import static dev.meridian.proxy.e2e.GeoRegions.JAPAN_V6;
import static dev.meridian.proxy.e2e.GeoRegions.LONDON;
import static dev.meridian.proxy.e2e.GeoRegions.MILTON_WA;
import static dev.meridian.proxy.e2e.GeoRegions.SINGAPORE_OFFICE;
import static dev.meridian.proxy.e2e.GeoRegions.VIRGINIA_OFFICE;
import static dev.meridian.proxy.e2e.GeoRegions.chosenByCommand;
import static dev.meridian.proxy.e2e.GeoRegions.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proxy.session.ProxyHeaders;
import dev.meridian.proxy.testing.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * Three real regions (iad, lhr, sin) plus a streaming replica of iad behind a proxy that
 * requires the PROXY protocol. Clients arrive through a relay that claims a chosen source
 * address (v1 or v2, IPv4 or IPv6); the backend's own {@code port} setting says where each
 * session landed, and {@code meridian route} must name the same backend for the same input.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeoRoutingIntegrationTests {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.builder()
            .server("iad").server("lhr").server("sin").replica("iad-r", "iad").build();

    @TempDir
    static Path dir;
    static Map<String, String> env;
    static DecisionLog decisions;
    static ProxyFixture proxy;
    static GeoRegions geo;

    @BeforeAll
    static void start() throws Exception {
        PG.server("lhr").execute("postgres", "CREATE DATABASE orders");
        env = GeoRegions.env(PG, "required");
        decisions = new DecisionLog();
        proxy = ProxyFixture.start(GeoRegions.YAML, env);
        geo = new GeoRegions(PG, proxy);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (decisions != null) {
            decisions.close();
        }
    }

    @Test
    @Order(1)
    void eachClientLandsOnItsNearestRegion() throws Exception {
        assertThat(geo.landedOn(LONDON, false, "postgres", null)).isEqualTo("lhr");
        assertThat(geo.landedOn(SINGAPORE_OFFICE, true, "postgres", null)).isEqualTo("sin");
        assertThat(geo.landedOn(VIRGINIA_OFFICE, false, "postgres", null)).isEqualTo("iad");
        assertThat(geo.landedOn(CHANGCHUN, true, "postgres", null)).isEqualTo("sin");
        assertThat(geo.landedOn(JAPAN_V6, true, "postgres", null)).isEqualTo("sin");
        assertThat(geo.landedOn(JAPAN_V6, false, "postgres", null)).isEqualTo("sin");
        assertThat(geo.landedOn(MILTON_WA, false, "postgres", null)).isEqualTo("iad");
    }

    @Test
    @Order(2)
    void readOnlySessionsReachTheReplicaAndMeridianOptionsAreStripped() throws Exception {
        try (ProxyProtocolRelay relay = ProxyProtocolRelay.start(proxy.port(), geo.header(LONDON, true));
             Connection c = GeoRegions.connect(relay, "postgres", "-c meridian.target=read-only -c search_path=geo_test")) {
            assertThat(one(c, "SELECT pg_is_in_recovery()")).isEqualTo("t");
            assertThat(geo.serverWithPort(one(c, "SHOW port"))).isEqualTo("iad-r");
            assertThat(one(c, "SELECT current_setting('meridian.target', true)")).isNull();
            assertThat(one(c, "SHOW search_path")).isEqualTo("geo_test");
        }
        assertThat(geo.landedOn(LONDON, true, "postgres", null)).as("read-write never gets the replica").isEqualTo("lhr");
    }

    @Test
    @Order(3)
    void aRegionOptionPinsAndBadOptionsAre22023() throws Exception {
        assertThat(geo.landedOn(LONDON, false, "postgres", "-c meridian.region=sin")).isEqualTo("sin");
        assertThat(geo.landedOn(SINGAPORE_OFFICE, true, "postgres", "-c meridian.region=iad")).isEqualTo("iad");
        for (String bad : new String[] {"-c meridian.region=atlantis", "-c meridian.target=primary"}) {
            assertThatThrownBy(() -> geo.landedOn(LONDON, true, "postgres", bad))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
        }
    }

    @Test
    @Order(4)
    void aResidencyPinnedDatabaseStaysInItsRegion() throws Exception {
        assertThat(geo.landedOn(SINGAPORE_OFFICE, true, "eu_orders", null)).isEqualTo("lhr");
        assertThat(geo.landedOn(VIRGINIA_OFFICE, false, "eu_orders", "-c meridian.region=sin")).isEqualTo("lhr");
    }

    @Test
    @Order(5)
    void withoutAHeaderTheClientIsRefusedWith08P01() throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", proxy.port())) {
            c.send(RawClient.startupPacket(3 << 16, Map.of("user", "postgres", "database", "postgres")));
            RawClient.Message m = c.read();
            assertThat(m.type()).isEqualTo('E');
            assertThat(m.fields().get('C')).isEqualTo("08P01");
            assertThat(m.fields().get('M')).isEqualTo("a PROXY protocol header is required on this port");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    @Order(6)
    void aLocalHeaderIsTheLoadBalancerItselfLocatedInThisInstancesRegion() throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", proxy.port())) {
            c.send(ProxyHeaders.v2Local(), RawClient.startupPacket(3 << 16, startup("postgres")));
            c.readUntil('Z');
            c.send(RawClient.query("SHOW port"));
            assertThat(geo.serverWithPort(GeoRegions.firstValue(c.readUntil('D')))).isEqualTo("iad");
        }
    }

    @Test
    @Order(7)
    void routeCommandExplainsEveryDecisionTheProxyMade() throws Exception {
        Path file = geo.writeConfig(dir.resolve("meridian.yaml"), env);
        assertThat(chosenByCommand(file, "--database", "postgres", "--client-ip", LONDON)).isEqualTo("lhr-1");
        assertThat(chosenByCommand(file, "--database", "postgres", "--client-ip", SINGAPORE_OFFICE)).isEqualTo("sin-1");
        assertThat(chosenByCommand(file, "--database", "postgres", "--client-ip", VIRGINIA_OFFICE)).isEqualTo("iad-1");
        assertThat(chosenByCommand(file, "--database", "postgres", "--client-ip", JAPAN_V6)).isEqualTo("sin-1");
        assertThat(chosenByCommand(file, "--database", "postgres", "--client-ip", LONDON, "--read-only")).isEqualTo("iad-r");
        assertThat(chosenByCommand(file, "--database", "postgres", "--client-ip", LONDON, "--region", "sin")).isEqualTo("sin-1");
        assertThat(chosenByCommand(file, "--database", "eu_orders", "--client-ip", SINGAPORE_OFFICE)).isEqualTo("lhr-1");
        // The proxy's own log lines for those sessions name the same backends and reasons.
        assertThat(decisions.lines())
                .anyMatch(l -> l.contains("client=81.2.69.142 (PROXY protocol header) location=lhr via geo.mmdb")
                        && l.endsWith("chosen=lhr-1 reason=geo"))
                .anyMatch(l -> l.contains("client=203.0.113.7") && l.contains("database=eu_orders")
                        && l.endsWith("chosen=lhr-1 reason=database"))
                .anyMatch(l -> l.contains("target=read-only") && l.endsWith("chosen=iad-r reason=geo"))
                .anyMatch(l -> l.contains("location=sin via meridian.region option") && l.endsWith("chosen=sin-1 reason=pinned"));
    }

    @Test
    @Order(8)
    void whenItsOnlyRegionIsDownAResidencyPinnedDatabaseIsRefusedAndOthersFailOver() throws Exception {
        PG.server("lhr").stop();
        try {
            assertThatThrownBy(() -> geo.landedOn(LONDON, false, "eu_orders", null))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("57P03");
                        assertThat(e.getMessage()).contains("no backend available for database \"eu_orders\" in regions lhr");
                    });
            assertThat(geo.landedOn(LONDON, true, "postgres", null)).isEqualTo("iad");
            assertThat(decisions.lines()).anyMatch(l -> l.contains("client=81.2.69.142") && l.endsWith("chosen=iad-1 reason=failover"));
        } finally {
            PG.server("lhr").start();
        }
    }

    @Test
    @Order(9)
    void withProxyProtocolOffAHeaderIsAnInvalidStartupPacketClosedWithoutAnswer() throws Exception {
        try (ProxyFixture off = ProxyFixture.start(GeoRegions.YAML, GeoRegions.env(PG, "off"));
             RawClient c = new RawClient("127.0.0.1", off.port())) {
            c.send(ProxyHeaders.v1(LONDON, 40000, "127.0.0.1", off.port()), RawClient.startupPacket(3 << 16, startup("postgres")));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static Map<String, String> startup(String database) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("user", "postgres");
        m.put("database", database);
        return m;
    }
}
