package dev.meridian.bench.readroute;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * One client of the read-heavy mix: a loop of nine reads of its own row ({@code SELECT v,
 * pg_is_in_recovery() FROM kv WHERE id = $1}) and one write of it ({@code UPDATE kv SET v = v + 1
 * WHERE id = $1 RETURNING v}), each statement its own transaction (autocommit), timed from
 * execute to the last row read.
 *
 * <p>With {@code split} the writes go over a second connection of their own: the reading
 * session never wrote, so Meridian tracks no read-your-writes floor for it (what a read costs
 * without the guarantee). A read that returns a smaller {@code v} than the client's last write
 * returned is counted stale: a broken guarantee on one session, the price of having none with
 * {@code split}. A think time (not timed) before each statement stands for an application that
 * does something between its statements; 0 sends them back to back.
 */
final class ReadRouteWorker implements Runnable {
    /** Only statements started in [from, to) are recorded (warm-up and the tail are not). */
    record Window(long from, long to) {
        boolean covers(long t) {
            return t - from >= 0 && to - t > 0;
        }
    }

    private final String url;
    private final Properties props;
    private final int id;
    private final boolean split;
    private final Window window;
    private final Consumer<String> errorLog;
    private final long thinkMillis;
    final Samples reads = new Samples();
    final Samples readsAfterWrite = new Samples();
    final Samples writes = new Samples();
    /** Reads by who answered them: a replica ({@code pg_is_in_recovery()}) or the primary. */
    final Samples replicaReads = new Samples();
    final Samples primaryReads = new Samples();
    long staleReads;
    long errors;

    ReadRouteWorker(String url, Properties props, int id, boolean split, long thinkMillis, Window window,
            Consumer<String> errorLog) {
        this.thinkMillis = thinkMillis;
        this.url = url;
        this.props = props;
        this.id = id;
        this.split = split;
        this.window = window;
        this.errorLog = errorLog;
    }

    @Override
    public void run() {
        long expected = 0;
        while (System.nanoTime() - window.to() < 0) {
            try (Connection reader = DriverManager.getConnection(url, props);
                 Connection writer = split ? DriverManager.getConnection(url, props) : reader;
                 PreparedStatement read = reader.prepareStatement("SELECT v, pg_is_in_recovery() FROM kv WHERE id = ?");
                 PreparedStatement write = writer.prepareStatement("UPDATE kv SET v = v + 1 WHERE id = ? RETURNING v")) {
                read.setInt(1, id);
                write.setInt(1, id);
                expected = Math.max(expected, loop(read, write, expected));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException e) {
                errors++;
                errorLog.accept("client " + id + ": " + e.getSQLState() + " " + e.getMessage());
            }
        }
    }

    /** Runs the mix until the window is over; returns the last value written. */
    private long loop(PreparedStatement read, PreparedStatement write, long expected)
            throws SQLException, InterruptedException {
        boolean afterWrite = false;
        while (true) {
            for (int k = 0; k < 10; k++) {
                if (thinkMillis > 0) {
                    Thread.sleep(thinkMillis);
                }
                long start = System.nanoTime();
                if (start - window.to() >= 0) {
                    return expected;
                }
                if (k == 9) {
                    expected = write(write, start);
                    afterWrite = true;
                } else {
                    read(read, start, expected, afterWrite);
                    afterWrite = false;
                }
            }
        }
    }

    private long write(PreparedStatement write, long start) throws SQLException {
        try (ResultSet rs = write.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("UPDATE ... RETURNING gave no row for id " + id);
            }
            long v = rs.getLong(1);
            long end = System.nanoTime();
            if (window.covers(start)) {
                writes.add(end - start);
            }
            return v;
        }
    }

    private void read(PreparedStatement read, long start, long expected, boolean afterWrite) throws SQLException {
        try (ResultSet rs = read.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("SELECT gave no row for id " + id);
            }
            long v = rs.getLong(1);
            boolean replica = rs.getBoolean(2);
            long end = System.nanoTime();
            if (!window.covers(start)) {
                return;
            }
            (afterWrite ? readsAfterWrite : reads).add(end - start);
            (replica ? replicaReads : primaryReads).add(end - start);
            if (v < expected) {
                staleReads++;
            }
        }
    }
}
