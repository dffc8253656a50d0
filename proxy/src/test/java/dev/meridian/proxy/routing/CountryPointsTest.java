package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.FlyRegions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountryPointsTest {
    @Test
    void everyEntryIsAnIsoCodeWithAPlace() {
        assertThat(CountryPoints.all()).hasSizeGreaterThan(230);
        CountryPoints.all().forEach((code, point) -> {
            assertThat(code).matches("[A-Z]{2}");
            assertThat(point.place()).isNotBlank();
        });
        assertThat(CountryPoints.of("ZZ")).isEmpty();
        assertThat(CountryPoints.of(null)).isEmpty();
    }

    @Test
    void countriesLandNearTheirObviousRegion() {
        // A sign slip in the table would send a whole country across the planet.
        Map<String, String> expected = Map.of("GB", "lhr", "JP", "nrt", "SG", "sin", "AU", "syd", "BR", "gru",
                "DE", "fra", "ZA", "jnb", "IN", "bom", "MX", "qro", "CA", "yyz");
        expected.forEach((country, region) -> assertThat(
                Distances.nearestRegion(FlyRegions.all(), CountryPoints.of(country).orElseThrow().coordinates()))
                .as(country).isEqualTo(region));
    }
}
