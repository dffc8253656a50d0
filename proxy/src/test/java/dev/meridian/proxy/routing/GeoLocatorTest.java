package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.proxy.config.Cidr;
import dev.meridian.proxy.config.ConfigException;
import dev.meridian.proxy.config.FlyRegions;
import dev.meridian.proxy.config.GeoConfig;
import dev.meridian.proxy.config.NetworkRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The location chain against MaxMind's test databases: networks, then mmdb, then the instance region. */
class GeoLocatorTest {
    private static final MaxMindGeocoder CITY = MaxMindGeocoder.open(TestGeo.CITY_DB);
    private static final MaxMindGeocoder COUNTRY = MaxMindGeocoder.open(TestGeo.COUNTRY_DB);

    private static GeoLocator locator(Geocoder mmdb, NetworkRule... networks) {
        return new GeoLocator(FlyRegions.all(), "iad", new GeoConfig(null, List.of(networks)), mmdb);
    }

    private static ClientLocation locate(GeoLocator geo, String ip) {
        return geo.locate(TestGeo.client(ip));
    }

    private static NetworkRule network(String cidr, String region) {
        return new NetworkRule(Cidr.parse(cidr), region);
    }

    @Test
    void cityDatabaseGivesCityCoordinates() {
        ClientLocation london = locate(locator(CITY), TestGeo.LONDON);
        assertThat(london.source()).isEqualTo(ClientLocation.Source.MMDB);
        assertThat(london.coordinates().lat()).isCloseTo(51.5142, within(1e-4));
        assertThat(london.coordinates().lon()).isCloseTo(-0.0931, within(1e-4));
        assertThat(london.region()).isEqualTo("lhr");
        assertThat(london.detail()).isEqualTo("London, GB (51.51, -0.09)");
        assertThat(CITY.isCity()).isTrue();
    }

    @Test
    void cityDatabasePlacesOtherTestNetworks() {
        GeoLocator geo = locator(CITY);
        assertThat(locate(geo, TestGeo.MILTON_WA).region()).isEqualTo("sea");
        assertThat(locate(geo, TestGeo.CHANGCHUN).detail()).startsWith("Changchun, CN");
        assertThat(locate(geo, TestGeo.JAPAN_V6).region()).isEqualTo("nrt");
    }

    @Test
    void cityRecordWithoutACityKeepsItsOwnCoordinates() {
        ClientLocation bhutan = locate(locator(CITY), TestGeo.BHUTAN);
        assertThat(bhutan.source()).isEqualTo(ClientLocation.Source.MMDB);
        assertThat(bhutan.coordinates().lat()).isCloseTo(27.5, within(1e-6));
        assertThat(bhutan.coordinates().lon()).isCloseTo(90.5, within(1e-6));
        assertThat(bhutan.detail()).startsWith("BT ");
    }

    @Test
    void countryDatabasePlacesTheCountryAtItsLargestCity() {
        ClientLocation london = locate(locator(COUNTRY), TestGeo.LONDON);
        assertThat(COUNTRY.isCity()).isFalse();
        assertThat(london.source()).isEqualTo(ClientLocation.Source.MMDB);
        assertThat(london.region()).isEqualTo("lhr");
        assertThat(london.detail()).isEqualTo("GB, placed at London (51.50, -0.10)");
        assertThat(locate(locator(COUNTRY), TestGeo.JAPAN_V6).region()).isEqualTo("nrt");
        // The US sits at New York in a Country database: coarse, as documented.
        assertThat(locate(locator(COUNTRY), TestGeo.MILTON_WA).region()).isEqualTo("ewr");
    }

    @Test
    void unknownAddressIsUnknownLocation() {
        for (MaxMindGeocoder db : List.of(CITY, COUNTRY)) {
            ClientLocation nowhere = locate(locator(db), TestGeo.NOWHERE);
            assertThat(nowhere.source()).isEqualTo(ClientLocation.Source.INSTANCE_REGION);
            assertThat(nowhere.region()).isEqualTo("iad");
            assertThat(nowhere.detail()).isEqualTo("192.0.2.1 is in neither geo.networks nor geo.mmdb");
        }
    }

    @Test
    void ipv4MappedIpv6IsLookedUpAsIpv4() {
        assertThat(locate(locator(CITY), "::ffff:" + TestGeo.LONDON).region()).isEqualTo("lhr");
    }

    @Test
    void networksComeBeforeTheMmdbAndTheMostSpecificWins() {
        GeoLocator geo = locator(CITY, network("81.2.0.0/16", "sin"), network("81.2.69.0/24", "syd"));
        ClientLocation c = locate(geo, TestGeo.LONDON);
        assertThat(c.source()).isEqualTo(ClientLocation.Source.NETWORKS);
        assertThat(c.region()).isEqualTo("syd");
        assertThat(c.coordinates()).isEqualTo(FlyRegions.all().get("syd"));
        assertThat(c.detail()).isEqualTo("81.2.69.142 in 81.2.69.0/24");
        assertThat(locate(geo, "81.2.1.1").region()).isEqualTo("sin");
    }

    @Test
    void ipv6Networks() {
        GeoLocator geo = locator(null, network("2001:db8::/32", "gru"));
        assertThat(locate(geo, "2001:db8::1").region()).isEqualTo("gru");
        ClientLocation elsewhere = locate(geo, "2001:db9:0:0:0:0:0:1");
        assertThat(elsewhere.source()).isEqualTo(ClientLocation.Source.INSTANCE_REGION);
        assertThat(elsewhere.detail()).startsWith("2001:db9::1 is in no geo.networks entry");
    }

    @Test
    void withoutNetworksOrMmdbEveryoneIsLocal() {
        ClientLocation c = locate(locator(null), TestGeo.LONDON);
        assertThat(c.region()).isEqualTo("iad");
        assertThat(c.detail()).contains("no geo.mmdb is configured");
        assertThat(locator(null).locate(null).detail()).isEqualTo("no client address");
    }

    @Test
    void failingLookupFallsBackToTheInstanceRegion() {
        GeoLocator geo = locator(address -> {
            throw new IOException("geo.mmdb lookup failed: corrupt");
        });
        ClientLocation c = locate(geo, TestGeo.LONDON);
        assertThat(c.source()).isEqualTo(ClientLocation.Source.INSTANCE_REGION);
        assertThat(c.detail()).isEqualTo("geo.mmdb lookup failed: corrupt");
    }

    @Test
    void pinnedRegion() {
        ClientLocation c = locator(CITY).pinned("sin");
        assertThat(c.source()).isEqualTo(ClientLocation.Source.PINNED);
        assertThat(c.coordinates()).isEqualTo(FlyRegions.all().get("sin"));
    }

    @Test
    void notAMaxMindFileIsAConfigProblem(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database");
        assertThatThrownBy(() -> MaxMindGeocoder.open(junk))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("geo.mmdb: " + junk + " is not a readable MaxMind database"));
    }
}
