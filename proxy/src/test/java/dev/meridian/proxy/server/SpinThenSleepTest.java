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
    void backFromSleepItPollsAgainAndTasksKeepItAwake() throws Exception {
        next(false);
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        now += 5_000_000; // slept; something woke the loop
        readyOnNextPoll = 1;
        assertThat(next(false)).isEqualTo(1);
        now += SPIN - 1;
        assertThat(next(false)).isZero();
        now += SPIN;
        assertThat(next(true)).as("pending tasks: poll, never sleep").isZero();
        now += SPIN - 1;
        assertThat(next(false)).isZero();
    }

    @Test
    void itDoesNotSpinWhileOtherTasksQueueForTheCpu() throws Exception {
        next(false);
        now += CpuPressure.SAMPLE_NANOS;
        stalledMicros += CpuPressure.SAMPLE_NANOS / 1000 / 2; // half the time someone waited for a CPU
        int pollsBefore = polls;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).as("no poll: straight to sleep").isEqualTo(pollsBefore);
        now += 1_000_000;
        assertThat(next(false)).as("woken, still contended").isEqualTo(SelectStrategy.SELECT);
        assertThat(next(true)).as("tasks pending: Netty's non-blocking look, as always").isZero();
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> new SpinThenSleep(0, System::nanoTime, CpuPressure.system()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
