package dev.meridian.proxy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private static final long MINUTE = 60_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(MINUTE, now::get);

    @Test
    void firstOccurrenceIsLoggedAsTheFirstEver() {
        LogThrottle.Verdict v = throttle.admit("a");
        assertThat(v.log()).isTrue();
        assertThat(v.firstEver()).isTrue();
        assertThat(v.suffix()).isEmpty();
    }

    @Test
    void repeatsWithinTheWindowAreCountedNotLogged() {
        throttle.admit("a");
        for (int i = 0; i < 22_000; i++) {
            now.addAndGet(1_000);
            assertThat(throttle.admit("a").log()).isFalse();
        }
        now.addAndGet(MINUTE);
        LogThrottle.Verdict next = throttle.admit("a");
        assertThat(next.log()).isTrue();
        assertThat(next.firstEver()).isFalse();
        assertThat(next.suppressed()).isEqualTo(22_000);
        assertThat(next.suffix()).isEqualTo(" (22000 more like this were not logged)");
    }

    @Test
    void eachCauseHasItsOwnWindow() {
        assertThat(throttle.admit("a").log()).isTrue();
        assertThat(throttle.admit("b").log()).isTrue();
        assertThat(throttle.admit("a").log()).isFalse();
    }

    @Test
    void manyDistinctCausesShareOneWindowBeyondTheCap() {
        for (int i = 0; i < LogThrottle.MAX_CAUSES; i++) {
            assertThat(throttle.admit("cause-" + i).log()).isTrue();
        }
        assertThat(throttle.admit("new-1").log()).isTrue();
        assertThat(throttle.admit("new-2").log()).as("shares the overflow window").isFalse();
    }

    @Test
    void aCauseIsItsClassAndWhereItWasThrownNotItsMessage() {
        RuntimeException a = thrownWith("one");
        RuntimeException b = thrownWith("two");
        assertThat(LogThrottle.causeOf(a)).isEqualTo(LogThrottle.causeOf(b)).startsWith(IllegalStateException.class.getName() + "@");
    }

    private static RuntimeException thrownWith(String message) {
        return new IllegalStateException(message);
    }
}
