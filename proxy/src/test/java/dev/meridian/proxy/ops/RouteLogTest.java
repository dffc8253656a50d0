package dev.meridian.proxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouteLogTest {
    private static RouteLog.Event event(int i) {
        return new RouteLog.Event(Instant.EPOCH.plusSeconds(i), "db" + i, "iad", "lhr-1", "lhr", "geo");
    }

    @Test
    void keepsTheLastFiftyNewestFirst() {
        RouteLog log = new RouteLog();
        for (int i = 0; i < RouteLog.CAPACITY + 7; i++) {
            log.add(event(i));
        }
        assertThat(log.recent()).hasSize(RouteLog.CAPACITY);
        assertThat(log.recent().get(0).database()).isEqualTo("db" + (RouteLog.CAPACITY + 6));
        assertThat(log.recent().get(RouteLog.CAPACITY - 1).database()).isEqualTo("db7");
        assertThat(log.count()).isEqualTo(RouteLog.CAPACITY + 7);
    }

    @Test
    void aFewEventsComeBackInOrder() {
        RouteLog log = new RouteLog();
        log.add(event(1));
        log.add(event(2));
        assertThat(log.recent()).extracting(RouteLog.Event::database).containsExactly("db2", "db1");
    }
}
