package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RegionsTest {

    @Test
    void knowsEveryCurrentFlyRegion() {
        assertThat(FlyRegions.all().keySet()).containsExactlyInAnyOrderElementsOf(Set.of(
                "ams", "arn", "atl", "bog", "bom", "bos", "cdg", "den", "dfw", "ewr", "eze", "fra",
                "gdl", "gig", "gru", "hkg", "iad", "jnb", "lax", "lhr", "mad", "mia", "nrt", "ord",
                "otp", "phx", "qro", "scl", "sea", "sfo", "sin", "sjc", "syd", "waw", "yul", "yyz"));
        assertThat(FlyRegions.contains("iad")).isTrue();
        assertThat(FlyRegions.contains("IAD")).isFalse();
        assertThatThrownBy(() -> FlyRegions.all().put("x", new Coordinates(0, 0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void coordinatesArePlausible() {
        // Spot checks by hemisphere: a sign error would send clients across the planet.
        assertThat(FlyRegions.all().get("iad")).isEqualTo(new Coordinates(38.94, -77.46));
        assertThat(FlyRegions.all().get("syd").lat()).isNegative();
        assertThat(FlyRegions.all().get("syd").lon()).isPositive();
        assertThat(FlyRegions.all().get("gru").lon()).isNegative();
        assertThat(FlyRegions.all().get("nrt").lon()).isGreaterThan(135);
        assertThat(FlyRegions.all().get("lhr").lon()).isBetween(-1.0, 0.0);
    }

    @Test
    void distancesBetweenAirports() {
        Coordinates iad = FlyRegions.all().get("iad");
        assertThat(iad.distanceKm(iad)).isZero();
        assertThat(iad.distanceKm(FlyRegions.all().get("lhr"))).isBetween(5800.0, 6000.0);
        assertThat(FlyRegions.all().get("sfo").distanceKm(FlyRegions.all().get("sjc"))).isBetween(40.0, 60.0);
        assertThat(FlyRegions.all().get("syd").distanceKm(FlyRegions.all().get("lhr"))).isBetween(17000.0, 17050.0);
    }

    @Test
    void coordinatesRejectImpossibleValues() {
        assertThatThrownBy(() -> new Coordinates(90.1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Coordinates(0, -180.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Coordinates(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Coordinates(-90, 180)).isNotNull();
    }

    @Test
    void preferenceSpelling() {
        assertThat(Preference.NEAREST).hasToString("nearest");
        assertThat(Preference.LOCAL).hasToString("local");
        assertThat(Preference.region("sfo")).hasToString("sfo");
        assertThatThrownBy(() -> new Preference(Preference.Kind.NEAREST, "sfo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Preference(Preference.Kind.REGION, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
