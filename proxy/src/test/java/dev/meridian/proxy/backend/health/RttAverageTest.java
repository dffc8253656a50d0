package dev.meridian.proxy.backend.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RttAverageTest {
    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void emptyUntilTheFirstSample() {
        assertThat(RttAverage.EMPTY.value()).isNull();
    }

    @Test
    void theFirstSampleIsTakenAsIs() {
        assertThat(RttAverage.EMPTY.add(ms(80)).value()).isEqualTo(ms(80));
    }

    @Test
    void eachSampleMovesAQuarterOfTheWay() {
        assertThat(RttAverage.EMPTY.add(ms(80)).add(ms(160)).value()).isEqualTo(ms(100));
        assertThat(RttAverage.EMPTY.add(ms(80)).add(ms(0)).value()).isEqualTo(ms(60));
    }

    @Test
    void oneOutlierNudgesRatherThanFlips() {
        RttAverage avg = RttAverage.EMPTY;
        for (int i = 0; i < 20; i++) {
            avg = avg.add(ms(10));
        }
        avg = avg.add(ms(500));
        assertThat(avg.value()).isBetween(ms(100), ms(150));
    }

    @Test
    void convergesOnASteadyNewValue() {
        RttAverage avg = RttAverage.EMPTY.add(ms(200));
        for (int i = 0; i < 30; i++) {
            avg = avg.add(ms(20));
        }
        assertThat(avg.value()).isBetween(ms(20), ms(21));
    }

    @Test
    void aMissingSampleChangesNothing() {
        RttAverage avg = RttAverage.EMPTY.add(ms(5));
        assertThat(avg.add(null)).isSameAs(avg);
        assertThat(RttAverage.EMPTY.add(null).value()).isNull();
    }

    @Test
    void keepsNanosecondPrecision() {
        assertThat(RttAverage.EMPTY.add(Duration.ofNanos(1_000)).add(Duration.ofNanos(1_400)).value())
                .isEqualTo(Duration.ofNanos(1_100));
    }

    @Test
    void refusesNegativeSamples() {
        assertThatThrownBy(() -> RttAverage.EMPTY.add(ms(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
