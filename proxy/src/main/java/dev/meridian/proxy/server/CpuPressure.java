package dev.meridian.proxy.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

/**
 * Whether the machine's CPUs are contended, from Linux's pressure stall information: the share
 * of wall time in which at least one runnable task waited for a CPU ({@code some} in
 * {@code /proc/pressure/cpu}). {@link SpinThenSleep} asks it before polling on: a loop that spins
 * while other tasks queue for a CPU takes the time from the very processes (PostgreSQL, the
 * clients) whose answers it is waiting for.
 *
 * <p>Sampled at most every {@link #SAMPLE_NANOS} by the loop that asks (one {@code pread} of
 * a 100-byte file), with hysteresis: contended above {@link #HIGH}, free again below
 * {@link #LOW}. Where the file cannot be read (not Linux, a kernel without PSI), the CPUs count
 * as contended: no spinning on a guess.
 *
 * <p>One instance per event loop, used by that loop's thread only.
 */
final class CpuPressure {
    static final Path PSI = Path.of("/proc/pressure/cpu");
    static final long SAMPLE_NANOS = 100_000_000L;
    static final double HIGH = 0.40;
    static final double LOW = 0.25;

    /** Reads the cumulative {@code some} stall time in microseconds, or -1 when it cannot. */
    interface StallClock {
        long stalledMicros();
    }

    private final StallClock stalls;
    private final LongSupplier clock;
    private long sampledAt;
    private long stalledAt;
    private boolean contended;

    CpuPressure(StallClock stalls, LongSupplier clock) {
        this.stalls = stalls;
        this.clock = clock;
        this.sampledAt = clock.getAsLong();
        this.stalledAt = stalls.stalledMicros();
        this.contended = stalledAt < 0;
    }

    /** The machine's pressure file (one per process, shared), or where it is missing, "contended". */
    static CpuPressure system() {
        return new CpuPressure(PsiFile.SYSTEM, System::nanoTime);
    }

    /** Whether to leave the CPU to others: true while the last sample was over the threshold. */
    boolean contended(long now) {
        if (now - sampledAt >= SAMPLE_NANOS) {
            long stalled = stalls.stalledMicros();
            if (stalled < 0 || stalledAt < 0) {
                contended = true;
            } else {
                double share = (stalled - stalledAt) * 1000.0 / (now - sampledAt);
                contended = contended ? share > LOW : share > HIGH;
            }
            stalledAt = stalled;
            sampledAt = now;
        }
        return contended;
    }

    /** {@code some avg10=… avg60=… avg300=… total=N}: N, the first line's total. */
    static long parseSomeTotal(ByteBuffer text) {
        int limit = text.limit();
        int i = 0;
        // Only the first line ("some ..."); "full ..." follows.
        while (i < limit && text.get(i) != '\n') {
            if (text.get(i) == 't' && i + 6 <= limit && text.get(i + 1) == 'o' && text.get(i + 2) == 't'
                    && text.get(i + 3) == 'a' && text.get(i + 4) == 'l' && text.get(i + 5) == '=') {
                long n = 0;
                int j = i + 6;
                if (j >= limit || text.get(j) < '0' || text.get(j) > '9') {
                    return -1;
                }
                while (j < limit && text.get(j) >= '0' && text.get(j) <= '9') {
                    n = n * 10 + (text.get(j) - '0');
                    j++;
                }
                return n;
            }
            i++;
        }
        return -1;
    }

    /**
     * The PSI file, opened once per process and re-read from offset 0: no allocation per sample.
     * The event loops share it; each reads it at most ten times a second.
     */
    static final class PsiFile implements StallClock {
        static final PsiFile SYSTEM = new PsiFile(PSI);

        private final FileChannel file;
        private final ByteBuffer buf = ByteBuffer.allocate(256);

        PsiFile(Path path) {
            FileChannel f;
            try {
                f = FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                f = null;
            }
            this.file = f;
        }

        @Override
        public synchronized long stalledMicros() {
            if (file == null) {
                return -1;
            }
            try {
                buf.clear();
                int n = file.read(buf, 0);
                if (n <= 0) {
                    return -1;
                }
                buf.flip();
                return parseSomeTotal(buf);
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
