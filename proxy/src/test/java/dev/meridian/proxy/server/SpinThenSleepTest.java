package dev.meridian.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import org.junit.jupiter.api.Test;

/** The wait strategy, on a hand-driven clock and a scripted non-blocking poll. */
class SpinThenSleepTest {
    private static final long SPIN = 50_000;
    private long now = 1_000_000;
    private int readyOnNextPoll;
    private int polls;
    /** Cumulative stall time the fake pressure file reports, in µs. */
    private long stalledMicros;
    private final SpinThenSleep strategy = new SpinThenSleep(SPIN, () -> now,
            new CpuPressure(() -> stalledMicros, () -> now));
    private final IntSupplier poll = () -> {
        polls++;
        int r = readyOnNextPoll;
        readyOnNextPoll = 0;
        return r;
    };

    private int next(boolean hasTasks) throws Exception {
        return strategy.calculateStrategy(poll, hasTasks);
    }

    /** A loop woken by work whose next poll finds more, then nothing until the window passes: a miss. */
    private void wastedWindow() throws Exception {
        now += 10_000_000;
        assertThat(next(false)).isZero();
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void afterWakingItPollsWithoutSleepingUntilTheWindowPassesThenSleeps() throws Exception {
        assertThat(next(false)).isZero(); // first round: polls
        now += 10_000;
        assertThat(next(false)).isZero();
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).isEqualTo(2);
    }

    @Test
    void aPollThatFindsWorkStartsTheWindowAgain() throws Exception {
        next(false);
        now += 40_000;
        readyOnNextPoll = 3;
        assertThat(next(false)).isEqualTo(3);
        now += 40_000; // 80 µs after the start, 40 µs after the work
        assertThat(next(false)).isZero();
        now += 20_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void busyTrafficNeverSleepsAndPendingTasksKeepTheWindowOpen() throws Exception {
        next(false);
        for (int i = 0; i < 100; i++) {
            now += SPIN - 1;
            readyOnNextPoll = 1;
            assertThat(next(false)).isEqualTo(1);
        }
        now += SPIN - 1;
        assertThat(next(true)).as("tasks pending: poll, never sleep").isZero();
        now += SPIN - 1;
        assertThat(next(false)).isZero();
    }

    @Test
    void wastedWindowsBackOffExponentiallyAndOneThatFindsWorkEndsTheBackOff() throws Exception {
        next(false);
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT); // miss 1: skip the next chance
        now += 10_000_000;
        int before = polls;
        assertThat(next(false)).as("woken, but skipping: straight back to sleep").isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).isEqualTo(before);
        wastedWindow(); // miss 2: skip 3
        for (int i = 0; i < 3; i++) {
            now += 10_000_000;
            assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        }
        now += 10_000_000;
        assertThat(next(false)).as("the back-off is over: a window").isZero();
        readyOnNextPoll = 1;
        now += 1_000;
        assertThat(next(false)).isEqualTo(1);
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT); // miss, but the count started again
        now += 10_000_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT); // skip 1
        now += 10_000_000;
        assertThat(next(false)).as("one skip only").isZero();
    }

    @Test
    void theBackOffIsCapped() throws Exception {
        next(false);
        now += SPIN;
        next(false);
        for (int miss = 2; miss <= SpinThenSleep.MAX_BACKOFF + 3; miss++) {
            int skips = (1 << Math.min(miss - 1, SpinThenSleep.MAX_BACKOFF)) - 1;
            for (int i = 0; i < skips; i++) {
                now += 10_000_000;
                assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
            }
            wastedWindow();
        }
    }

    @Test
    void itDoesNotSpinWhileOtherTasksQueueForTheCpu() throws Exception {
        now += CpuPressure.SAMPLE_NANOS;
        assertThat(next(true)).as("tasks pending: Netty's non-blocking look, as always").isZero();
        stalledMicros += CpuPressure.SAMPLE_NANOS / 1000 / 2; // half the time someone waited for a CPU
        int pollsBefore = polls;
        assertThat(next(false)).as("in the window, but contended").isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).as("no poll: straight to sleep").isEqualTo(pollsBefore);

        now += CpuPressure.SAMPLE_NANOS;
        assertThat(next(false)).as("woken: a window (the contended one was no miss)").isZero();
        pollsBefore = polls;
        now += 1_000;
        assertThat(next(false)).as("no stall in the last 100 ms: spinning again").isZero();
        assertThat(polls).isEqualTo(pollsBefore + 1);
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> new SpinThenSleep(0, System::nanoTime, CpuPressure.system()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
