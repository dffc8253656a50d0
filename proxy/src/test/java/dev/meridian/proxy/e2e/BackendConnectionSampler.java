package dev.meridian.proxy.e2e;

import dev.meridian.proxy.testing.PgServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples, every 20 ms while it runs, how many client backends PostgreSQL has besides its own
 * probe, the health checker's ({@code application_name = meridian-health}) and the ones the test
 * names: the most backend connections the proxy held at once.
 */
final class BackendConnectionSampler implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger max = new AtomicInteger();
    private final Thread thread;
    private volatile SQLException failure;

    BackendConnectionSampler(PgServer server, int... excludedPids) throws SQLException {
        Connection probe = server.connect("postgres");
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " AND pid <> pg_backend_pid() AND application_name <> 'meridian-health'");
        for (int pid : excludedPids) {
            sql.append(" AND pid <> ").append(pid);
        }
        PreparedStatement ps = probe.prepareStatement(sql.toString());
        thread = new Thread(() -> {
            try (probe; ps) {
                while (running.get()) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        max.accumulateAndGet(rs.getInt(1), Math::max);
                    }
                    Thread.sleep(20);
                }
            } catch (SQLException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "backend-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    static int pid(Connection c) throws SQLException {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Stops sampling; the most connections seen at once. */
    int stop() throws Exception {
        running.set(false);
        thread.join(5_000);
        if (failure != null) {
            throw failure;
        }
        return max.get();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
