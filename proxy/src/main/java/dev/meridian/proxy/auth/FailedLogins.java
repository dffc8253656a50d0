package dev.meridian.proxy.auth;

import dev.meridian.proxy.config.FailureBackoff;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per client address, for {@code auth.failure_backoff}: how long the answer to
 * the next failure should wait. Shared by every event loop (one lock; it is touched once per
 * login, not per message) and bounded: at most {@code capacity} addresses, the one whose last
 * failure is oldest evicted first, and an address quiet for the backoff's {@code window}
 * forgotten. IPv6 clients are counted per /64, the smallest block one subscriber usually gets,
 * so hopping through one's own prefix does not reset the count.
 */
public final class FailedLogins {
    /** About 15 MB at most, whatever the address space behind the attacks. */
    public static final int DEFAULT_CAPACITY = 100_000;

    /** The count of a failure just recorded and the delay its answer gets. */
    public record Verdict(long failures, Duration delay) {
        /** True for the first failure of a streak that is answered late: worth one log line. */
        public boolean startsBackoff(FailureBackoff policy) {
            return failures == policy.after() + 1L;
        }
    }

    private static final class Entry {
        long failures;
        long lastNanos;
    }

    private final int capacity;
    private final LongSupplier nanoClock;
    /** In order of last failure, oldest first: expiry and eviction both take from the head. */
    private final LinkedHashMap<InetAddress, Entry> entries = new LinkedHashMap<>();

    public FailedLogins(int capacity, LongSupplier nanoClock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    public static FailedLogins create() {
        return new FailedLogins(DEFAULT_CAPACITY, System::nanoTime);
    }

    /** Counts a failed login from {@code client}; the verdict says how late to answer it. */
    public synchronized Verdict failed(InetAddress client, FailureBackoff policy) {
        if (!policy.enabled()) {
            return new Verdict(0, Duration.ZERO);
        }
        long now = nanoClock.getAsLong();
        long window = policy.window().toNanos();
        expire(now, window);
        InetAddress key = group(client);
        Entry entry = entries.remove(key); // put back below: moves it to the tail
        if (entry == null) {
            entry = new Entry();
        }
        entry.failures++;
        entry.lastNanos = now;
        entries.put(key, entry);
        if (entries.size() > capacity) {
            Iterator<Entry> oldest = entries.values().iterator();
            oldest.next();
            oldest.remove();
        }
        return new Verdict(entry.failures, policy.delayFor(entry.failures));
    }

    /** A login from {@code client} succeeded: its earlier failures no longer count. */
    public synchronized void succeeded(InetAddress client) {
        if (!entries.isEmpty()) {
            entries.remove(group(client));
        }
    }

    /** Failures counted for {@code client} (its /64 for IPv6) that have not been forgotten yet. */
    public synchronized long failures(InetAddress client) {
        Entry entry = entries.get(group(client));
        return entry == null ? 0 : entry.failures;
    }

    /** Addresses tracked right now. */
    public synchronized int size() {
        return entries.size();
    }

    private void expire(long now, long window) {
        Iterator<Map.Entry<InetAddress, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && now - it.next().getValue().lastNanos > window) {
            it.remove();
        }
    }

    /** The key an address is counted under: itself for IPv4, its /64 for IPv6. */
    static InetAddress group(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        if (isIpv4Mapped(bytes)) {
            return byAddress(Arrays.copyOfRange(bytes, 12, 16));
        }
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return byAddress(bytes);
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // no name lookup: the bytes are the address
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }
}
