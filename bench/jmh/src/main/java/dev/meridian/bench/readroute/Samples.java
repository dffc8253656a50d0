package dev.meridian.bench.readroute;

import java.util.Arrays;

/** Latencies in ns, kept whole (a growable array), for exact percentiles after the run. */
final class Samples {
    private long[] values = new long[4096];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** Nearest-rank percentile in ms (NaN when empty); sorts the samples. */
    double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        Arrays.sort(values, 0, size);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.max(0, rank - 1)] / 1e6;
    }
}
