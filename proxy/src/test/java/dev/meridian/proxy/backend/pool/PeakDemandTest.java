package dev.meridian.proxy.backend.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeakDemandTest {
    private static final long W = 1_000;

    @Test
    void nothingObservedMeansNoDemand() {
        assertThat(new PeakDemand(W).peak(5)).isZero();
    }

    @Test
    void thePeakOfTheCurrentWindowCounts() {
        PeakDemand d = new PeakDemand(W);
        d.observe(1, 0);
        d.observe(4, 100);
        d.observe(2, 200);
        assertThat(d.peak(300)).isEqualTo(4);
    }

    @Test
    void aBurstIsRememberedForOneMoreWindowThenForgotten() {
        PeakDemand d = new PeakDemand(W);
        d.observe(6, 0);
        d.observe(1, W + 10); // next window: the previous peak still counts
        assertThat(d.peak(W + 20)).isEqualTo(6);
        assertThat(d.peak(2 * W + 30)).isEqualTo(1); // two windows on: only the last one's peak
        assertThat(d.peak(4 * W + 40)).isZero();
    }

    @Test
    void aLongSilenceForgetsEverything() {
        PeakDemand d = new PeakDemand(W);
        d.observe(9, 0);
        assertThat(d.peak(10 * W)).isZero();
    }
}
