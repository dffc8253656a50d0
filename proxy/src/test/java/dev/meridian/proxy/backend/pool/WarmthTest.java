package dev.meridian.proxy.backend.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.backend.BackendCredentials;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WarmthTest {
    private static final BackendConfig LHR = new BackendConfig("lhr-1", "lhr", "127.0.0.1", 5432, BackendRole.AUTO,
            "postgres", "pw", BackendTls.DEFAULT);

    private static Warmth warmth(String database, int loops) {
        return new Warmth(new WarmKey("lhr-1", "postgres", database), LHR, BackendCredentials.password("postgres", "pw"),
                true, loops);
    }

    @ParameterizedTest(name = "min_idle {0} over {1} loops")
    @CsvSource({"1, 1", "1, 4", "2, 2", "3, 2", "5, 4", "8, 4", "7, 16"})
    void sharesAddUpToMinIdleAndDifferByAtMostOne(int minIdle, int loops) {
        for (String db : new String[] {"a", "orders", "users", "zzz"}) {
            Warmth w = warmth(db, loops);
            int[] shares = IntStream.range(0, loops).map(i -> w.share(minIdle, loops, i)).toArray();
            assertThat(IntStream.of(shares).sum()).isEqualTo(minIdle);
            assertThat(IntStream.of(shares).max().getAsInt() - IntStream.of(shares).min().getAsInt()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void poolsWithFewerConnectionsThanLoopsDoNotAllPickTheFirstLoop() {
        int loops = 8;
        long firstLoopOnly = IntStream.range(0, 64).mapToObj(i -> warmth("db" + i, loops))
                .filter(w -> w.share(1, loops, 0) == 1).count();
        assertThat(firstLoopOnly).isLessThan(64);
    }

    @Test
    void atMostTwoLoginsAtOnce() {
        Warmth w = warmth("orders", 2);
        long now = System.nanoTime();
        assertThat(w.startLogin(0, now)).isTrue();
        assertThat(w.startLogin(1, now)).isTrue();
        assertThat(w.startLogin(0, now)).isFalse();
        assertThat(w.opening(0)).isEqualTo(1);
        w.loginEnded(0, true, now);
        assertThat(w.opening(0)).isZero();
        assertThat(w.startLogin(0, now)).isTrue();
        w.loginCancelled(0);
        assertThat(w.opening(0)).isZero();
    }

    @Test
    void failuresBackOffDoublingUpToAMinuteAndASuccessEndsIt() {
        Warmth w = warmth("orders", 1);
        long now = System.nanoTime();
        long[] waits = new long[9];
        for (int i = 0; i < waits.length; i++) {
            assertThat(w.startLogin(0, now)).isTrue();
            w.loginEnded(0, false, now);
            waits[i] = firstAllowed(w, now) - now;
            now += waits[i];
        }
        assertThat(waits).containsExactly(sec(1), sec(2), sec(4), sec(8), sec(16), sec(32), sec(60), sec(60), sec(60));
        assertThat(w.failures()).isEqualTo(9);
        assertThat(w.startLogin(0, now)).isTrue();
        w.loginEnded(0, true, now);
        assertThat(w.failures()).isZero();
        assertThat(w.startLogin(0, now)).isTrue();
    }

    /** The first instant, on a one-second grid after {@code from}, at which a login may start. */
    private static long firstAllowed(Warmth w, long from) {
        for (long t = from; ; t += sec(1)) {
            if (w.startLogin(0, t)) {
                w.loginCancelled(0);
                return t;
            }
        }
    }

    private static long sec(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }
}
