package dev.meridian.bench.readroute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void percentilesAreNearestRankInMilliseconds() {
        Samples s = new Samples();
        for (int ms = 100; ms >= 1; ms--) { // unsorted, and past the initial capacity once merged
            s.add(ms * 1_000_000L);
        }
        Samples all = new Samples();
        for (int i = 0; i < 50; i++) {
            all.addAll(s);
        }
        assertThat(all.size()).isEqualTo(5000);
        assertThat(all.percentileMs(50)).isEqualTo(50.0);
        assertThat(all.percentileMs(99)).isEqualTo(99.0);
        assertThat(all.percentileMs(100)).isEqualTo(100.0);
        assertThat(all.percentileMs(0)).isEqualTo(1.0);
    }

    @Test
    void noSamplesGiveNaN() {
        assertThat(new Samples().percentileMs(50)).isNaN();
    }

    @Test
    void theWindowCoversItsStartButNotItsEnd() {
        ReadRouteWorker.Window w = new ReadRouteWorker.Window(1_000, 2_000);
        assertThat(w.covers(999)).isFalse();
        assertThat(w.covers(1_000)).isTrue();
        assertThat(w.covers(1_999)).isTrue();
        assertThat(w.covers(2_000)).isFalse();
    }
}
