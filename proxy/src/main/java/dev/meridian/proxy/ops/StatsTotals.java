package dev.meridian.proxy.ops;

/**
 * One database's totals since the proxy started, in PgBouncer's units: counts, bytes and
 * microseconds. {@code waits} is how many sessions got a backend (the divisor of the average
 * wait).
 */
public record StatsTotals(String database, long xactCount, long queryCount, long received, long sent,
                          long xactMicros, long queryMicros, long waitMicros, long waits) {
}
