package dev.meridian.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.FailureBackoff;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address failure count behind {@code auth.failure_backoff}, on a fake clock. */
class FailedLoginsTest {
    static final FailureBackoff POLICY = new FailureBackoff(3, Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofMinutes(5));

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final FailedLogins logins = new FailedLogins(100, now::get);

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text); // a literal: no name lookup
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    Duration fail(String address) throws Exception {
        return logins.failed(ip(address), POLICY).delay();
    }

    @Test
    void theFailuresAfterTheThresholdWaitLongerAndLongerUpToTheCap() throws Exception {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            delays.add(fail("192.0.2.1"));
        }
        assertThat(delays).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(1600),
                Duration.ofMillis(3200), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void onlyTheFirstLateAnswerOfAStreakStartsTheBackoff() throws Exception {
        List<Boolean> starts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            starts.add(logins.failed(ip("192.0.2.1"), POLICY).startsBackoff(POLICY));
        }
        assertThat(starts).containsExactly(false, false, false, true, false, false);
    }

    @Test
    void addressesAreCountedApart() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail("192.0.2.1");
        }
        assertThat(fail("192.0.2.2")).isZero();
        assertThat(logins.failures(ip("192.0.2.1"))).isEqualTo(5);
        assertThat(logins.failures(ip("192.0.2.2"))).isEqualTo(1);
    }

    @Test
    void aSuccessForgetsTheAddress() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail("192.0.2.1");
        }
        logins.succeeded(ip("192.0.2.1"));
        assertThat(logins.failures(ip("192.0.2.1"))).isZero();
        assertThat(fail("192.0.2.1")).isZero();
    }

    @Test
    void anAddressQuietForTheWindowStartsAfresh() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail("192.0.2.1");
            advance(Duration.ofMinutes(4)); // each failure within the window of the one before
        }
        assertThat(fail("192.0.2.1")).isEqualTo(Duration.ofMillis(800));
        advance(POLICY.window().plusMillis(1));
        assertThat(fail("192.0.2.1")).isZero();
        assertThat(logins.failures(ip("192.0.2.1"))).isEqualTo(1);
    }

    @Test
    void expiredAddressesAreDroppedNotJustIgnored() throws Exception {
        for (int i = 1; i <= 50; i++) {
            fail("192.0.2." + i);
        }
        assertThat(logins.size()).isEqualTo(50);
        advance(POLICY.window().plusSeconds(1));
        fail("198.51.100.1");
        assertThat(logins.size()).isEqualTo(1);
    }

    @Test
    void atCapacityTheAddressWithTheOldestFailureIsEvicted() throws Exception {
        FailedLogins small = new FailedLogins(3, now::get);
        for (String a : new String[] {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
            small.failed(ip(a), POLICY);
            advance(Duration.ofSeconds(1));
        }
        small.failed(ip("192.0.2.1"), POLICY); // .1 is now the most recent; .2 the oldest
        small.failed(ip("192.0.2.4"), POLICY);
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.failures(ip("192.0.2.2"))).isZero();
        assertThat(small.failures(ip("192.0.2.1"))).isEqualTo(2);
        assertThat(small.failures(ip("192.0.2.3"))).isEqualTo(1);
        assertThat(small.failures(ip("192.0.2.4"))).isEqualTo(1);
    }

    @Test
    void ipv6IsCountedPerSlash64() throws Exception {
        for (int i = 1; i <= 4; i++) {
            fail("2001:db8:1:2::" + i);
        }
        assertThat(fail("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo(Duration.ofMillis(400));
        assertThat(fail("2001:db8:1:3::1")).isZero();
        logins.succeeded(ip("2001:db8:1:2::abcd"));
        assertThat(logins.failures(ip("2001:db8:1:2::1"))).isZero();
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(FailedLogins.group(v6)).isEqualTo(ip("192.0.2.1"));
        assertThat(FailedLogins.group(ip("::ffff:192.0.2.9"))).isEqualTo(ip("192.0.2.9"));
    }

    @Test
    void offCountsNothing() throws Exception {
        FailureBackoff off = new FailureBackoff(0, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(5));
        for (int i = 0; i < 100; i++) {
            assertThat(logins.failed(ip("192.0.2.1"), off).delay()).isZero();
        }
        assertThat(logins.size()).isZero();
    }

    @Test
    void concurrentFailuresAreAllCountedAndTheBoundHolds() throws Exception {
        FailedLogins shared = new FailedLogins(1000, now::get);
        int threads = 8;
        int perThread = 5000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        shared.failed(ip("192.0.2.1"), POLICY);
                        shared.failed(ip("10." + id + "." + (i / 256 % 256) + "." + (i % 256)), POLICY);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(shared.size()).isLessThanOrEqualTo(1000);
        assertThat(shared.failures(ip("192.0.2.1"))).isEqualTo((long) threads * perThread);
    }
}
