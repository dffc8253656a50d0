package dev.meridian.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueryClockTest {
    private final MockClock clock = new MockClock();
    private final Timer timer = Timer.builder("q").register(new SimpleMeterRegistry(MockClockConfig.CONFIG, clock));
    private final QueryClock queries = new QueryClock(timer, clock);

    private void client(String types) {
        types.chars().forEach(t -> queries.clientMessage((byte) t));
    }

    private void backend(String types) {
        types.chars().forEach(t -> queries.backendMessage((byte) t));
    }

    private void advance(long millis) {
        clock.add(Duration.ofMillis(millis));
    }

    private double totalMillis() {
        return timer.totalTime(TimeUnit.MILLISECONDS);
    }

    @Test
    void aSimpleQueryIsTimedUntilReadyForQuery() {
        client("Q");
        advance(5);
        backend("TDDC");
        advance(2);
        backend("Z");
        assertThat(timer.count()).isEqualTo(1);
        assertThat(totalMillis()).isEqualTo(7);
    }

    @Test
    void anExtendedBatchIsTimedFromItsFirstMessage() {
        client("P");
        advance(1);
        client("BDE");
        advance(1);
        client("S");
        advance(3);
        backend("12TDCZ");
        assertThat(timer.count()).isEqualTo(1);
        assertThat(totalMillis()).isEqualTo(5);
    }

    @Test
    void pipelinedBatchesAreEachTimedFromTheirOwnStart() {
        client("PBES");
        advance(1);
        client("BES");
        advance(1);
        client("Q");
        advance(10);
        backend("Z");
        backend("Z");
        backend("Z");
        assertThat(timer.count()).isEqualTo(3);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(12);
        assertThat(totalMillis()).isEqualTo(12 + 11 + 10);
    }

    @Test
    void copyDataAndTerminateStartNoQuery() {
        client("Q");
        backend("G");
        client("ddddc");
        advance(4);
        backend("CZ");
        client("X");
        backend("Z");
        assertThat(timer.count()).isEqualTo(1);
        assertThat(totalMillis()).isEqualTo(4);
    }

    @Test
    void readyForQueryWithNothingPendingIsIgnored() {
        backend("Z");
        assertThat(timer.count()).isZero();
    }

    @Test
    void pipeliningBeyondTheRingStaysPairedAndTimesWhatFits() {
        int batches = QueryClock.CAPACITY + 8;
        for (int i = 0; i < batches; i++) {
            client("Q");
            advance(1);
        }
        for (int i = 0; i < batches; i++) {
            backend("Z");
        }
        assertThat(timer.count()).isEqualTo(QueryClock.CAPACITY);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(batches);
        // After the backlog drains, timing resumes exactly.
        client("Q");
        advance(3);
        backend("Z");
        assertThat(timer.count()).isEqualTo(QueryClock.CAPACITY + 1);
    }

    @Test
    void functionCallIsItsOwnRoundTrip() {
        client("F");
        advance(2);
        backend("VZ");
        assertThat(timer.count()).isEqualTo(1);
        assertThat(totalMillis()).isEqualTo(2);
    }
}
