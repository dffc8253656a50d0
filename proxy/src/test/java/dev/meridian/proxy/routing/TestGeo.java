package dev.meridian.proxy.routing;

import dev.meridian.proxy.config.ConfigLoader;
import dev.meridian.proxy.config.MeridianConfig;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** MaxMind's test databases (see /geo/LICENSE-MIT) and the config the routing tests share. */
final class TestGeo {
    static final Path CITY_DB = resource("/geo/GeoLite2-City-Test.mmdb");
    static final Path COUNTRY_DB = resource("/geo/GeoLite2-Country-Test.mmdb");

    /** Addresses the test databases know (README of the MaxMind test data). */
    static final String LONDON = "81.2.69.142";
    static final String CHANGCHUN = "175.16.199.4";
    static final String MILTON_WA = "216.160.83.57";
    static final String JAPAN_V6 = "2001:218::7";
    static final String BHUTAN = "67.43.156.9";
    /** In no test database and in no network below. */
    static final String NOWHERE = "192.0.2.1";

    /**
     * Seven backends in four regions, two replicas, rules for residency and every prefer; the
     * instance runs in iad.
     */
    static final String YAML = """
            region: iad
            auth: { method: trust }
            backends:
              - { name: iad-1, region: iad, host: h, role: primary }
              - { name: iad-2, region: iad, host: h, role: primary }
              - { name: iad-r, region: iad, host: h, role: replica }
              - { name: lhr-1, region: lhr, host: h, role: primary }
              - { name: sin-1, region: sin, host: h, role: primary }
              - { name: sin-r, region: sin, host: h, role: replica }
              - { name: fra-1, region: fra, host: h, role: auto }
            databases:
              eu_orders: { regions: [lhr], backend_database: orders }
              eu_any:    { regions: [lhr, fra] }
              local_db:  { prefer: local }
              sin_first: { prefer: sin }
              "*":       { prefer: nearest }
            geo:
              mmdb: "${MMDB}"
              networks:
                - { cidr: 203.0.113.0/24, region: sin }
                - { cidr: 198.51.100.0/24, region: iad }
                - { cidr: 198.51.100.128/25, region: lhr }
            """;

    static MeridianConfig config() {
        return ConfigLoader.parse(YAML, Map.of("MMDB", CITY_DB.toString()), null);
    }

    static ClientAddress client(String ip) {
        return ip == null ? null : new ClientAddress(address(ip), ClientAddress.Origin.COMMAND_LINE);
    }

    static InetAddress address(String ip) {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(ip);
        if (a == null) {
            throw new IllegalArgumentException(ip);
        }
        return a;
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestGeo.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    private TestGeo() {
    }
}
