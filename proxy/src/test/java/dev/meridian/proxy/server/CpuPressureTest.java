package dev.meridian.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuPressureTest {
    private static final long SAMPLE = CpuPressure.SAMPLE_NANOS;
    private long now = 5_000_000_000L;
    private long stalled = 1_000;

    private CpuPressure pressure() {
        return new CpuPressure(() -> stalled, () -> now);
    }

    /** The next sample window, in which tasks waited for a CPU this share of the time. */
    private void window(double share) {
        now += SAMPLE;
        stalled += (long) (SAMPLE / 1000 * share);
    }

    @Test
    void readsTheSomeLinesTotal() {
        String psi = "some avg10=0.13 avg60=31.15 avg300=50.84 total=14953267399\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
        assertThat(CpuPressure.parseSomeTotal(ByteBuffer.wrap(psi.getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(14_953_267_399L);
        assertThat(CpuPressure.parseSomeTotal(ByteBuffer.wrap("some avg10=0.00\nfull total=3\n".getBytes(
                StandardCharsets.US_ASCII)))).as("no total on the some line").isEqualTo(-1);
        assertThat(CpuPressure.parseSomeTotal(ByteBuffer.wrap("some total=x".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(-1);
    }

    @Test
    void contendedAboveTheHighMarkAndFreeAgainOnlyBelowTheLowOne() {
        CpuPressure p = pressure();
        assertThat(p.contended(now)).isFalse();
        window(0.30);
        assertThat(p.contended(now)).as("30%%: under the high mark").isFalse();
        window(0.50);
        assertThat(p.contended(now)).isTrue();
        window(0.30);
        assertThat(p.contended(now)).as("30%%: not yet under the low mark").isTrue();
        window(0.10);
        assertThat(p.contended(now)).isFalse();
    }

    @Test
    void aSampleIsTakenOnlyOncePerWindow() {
        CpuPressure p = pressure();
        now += SAMPLE / 2;
        stalled += SAMPLE; // 100% stalled, but the window is not over: no new sample yet
        assertThat(p.contended(now)).isFalse();
        now += SAMPLE / 2;
        assertThat(p.contended(now)).isTrue();
    }

    @Test
    void withoutPressureInformationTheCpusCountAsContended() {
        stalled = -1;
        CpuPressure p = pressure();
        assertThat(p.contended(now)).isTrue();
        window(0);
        assertThat(p.contended(now)).isTrue();
    }

    @Test
    void readsARealPressureFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cpu");
        Files.writeString(f, "some avg10=1.00 avg60=2.00 avg300=3.00 total=42\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        assertThat(new CpuPressure.PsiFile(f).stalledMicros()).isEqualTo(42);
        Files.writeString(f, "some avg10=1.00 avg60=2.00 avg300=3.00 total=4242\n");
        assertThat(new CpuPressure.PsiFile(f).stalledMicros()).isEqualTo(4242);
        assertThat(new CpuPressure.PsiFile(dir.resolve("missing")).stalledMicros()).isEqualTo(-1);
    }
}
