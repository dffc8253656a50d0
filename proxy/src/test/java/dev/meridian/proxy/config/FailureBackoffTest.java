package dev.meridian.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code auth.failure_backoff}: its defaults, how it binds, and the delays it gives. */
class FailureBackoffTest {

    private static FailureBackoff bound(String section) {
        return TestYaml.base().set("auth", "{ method: trust, failure_backoff: " + section + " }")
                .load().auth().failureBackoff();
    }

    @Test
    void isOnByDefault() {
        FailureBackoff backoff = TestYaml.base().load().auth().failureBackoff();
        assertThat(backoff).isEqualTo(new FailureBackoff(5, Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofMinutes(5)));
        assertThat(backoff.enabled()).isTrue();
    }

    @Test
    void bindsEveryKey() {
        assertThat(bound("{ after: 3, initial: 1s, max: 30s, window: 1h }")).isEqualTo(
                new FailureBackoff(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1)));
    }

    @Test
    void afterZeroTurnsItOff() {
        FailureBackoff off = bound("{ after: 0 }");
        assertThat(off.enabled()).isFalse();
        assertThat(off.delayFor(1_000_000)).isZero();
    }

    @Test
    void anInitialDelayAboveTheDefaultCapRaisesTheCap() {
        assertThat(bound("{ initial: 10s }").max()).isEqualTo(Duration.ofSeconds(10));
        assertThat(bound("{ initial: 1s }").max()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void noDelayUpToAfterThenDoublingFromInitialUpToMax() {
        FailureBackoff b = new FailureBackoff(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(5));
        assertThat(b.delayFor(1)).isZero();
        assertThat(b.delayFor(3)).isZero();
        assertThat(b.delayFor(4)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delayFor(5)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delayFor(6)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.delayFor(8)).isEqualTo(Duration.ofMillis(3200));
        assertThat(b.delayFor(9)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.delayFor(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aCapThatIsNotADoublingOfInitialIsReachedExactly() {
        FailureBackoff b = new FailureBackoff(1, Duration.ofMillis(300), Duration.ofMillis(1000), Duration.ofMinutes(1));
        assertThat(b.delayFor(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(b.delayFor(3)).isEqualTo(Duration.ofMillis(600));
        assertThat(b.delayFor(4)).isEqualTo(Duration.ofMillis(1000));
    }
}
