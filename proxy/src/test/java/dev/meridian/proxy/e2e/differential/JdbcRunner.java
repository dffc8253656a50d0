package dev.meridian.proxy.e2e.differential;

import dev.meridian.proxy.e2e.differential.Op.Bind;
import dev.meridian.proxy.e2e.differential.Op.Close;
import dev.meridian.proxy.e2e.differential.Op.Execute;
import dev.meridian.proxy.e2e.differential.Op.Ext;
import dev.meridian.proxy.e2e.differential.Op.Parse;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Runs a program through pgjdbc with {@code prepareThreshold=1}, so every PreparedStatement is
 * a server-side named statement ({@code S_1}, ...) that pgjdbc re-uses across transactions. A
 * {@link Op.Batch} becomes PreparedStatement executions (stopping at the first error, as the
 * server skips to Sync), or one {@code executeBatch} when it repeats one UPDATE: pgjdbc pipelines
 * that with a single Sync. The trace holds results, SQLSTATEs, warnings, and every change of
 * the ParameterStatus values pgjdbc received.
 */
final class JdbcRunner {
    private static final int NOTIFY_WAIT_MILLIS = 5_000;

    private final List<String> trace = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final Map<String, String> statements = new HashMap<>();
    private final Notifier notifier;
    private Connection c;
    private Map<String, String> params = Map.of();

    private JdbcRunner(Notifier notifier) {
        this.notifier = notifier;
    }

    static List<String> run(int port, List<Op> program, Notifier notifier) {
        JdbcRunner runner = new JdbcRunner(notifier);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&sslmode=disable"
                + "&prepareThreshold=1&ApplicationName=diff&socketTimeout=60";
        try (Connection c = DriverManager.getConnection(url)) {
            runner.c = c;
            runner.params = new TreeMap<>(c.unwrap(PGConnection.class).getParameterStatuses());
            runner.trace.add("startup " + runner.params);
            for (Op op : program) {
                runner.trace.add("> " + op);
                runner.step(op);
                runner.parameterChanges();
            }
        } catch (SQLException | RuntimeException e) {
            runner.trace.add("! " + e);
        }
        runner.trace.add("pending notifications " + new java.util.TreeSet<>(runner.pending));
        return runner.trace;
    }

    private void parameterChanges() throws SQLException {
        Map<String, String> now = new TreeMap<>(c.unwrap(PGConnection.class).getParameterStatuses());
        now.forEach((k, v) -> {
            if (!v.equals(params.get(k))) {
                trace.add("S " + k + "=" + v);
            }
        });
        params = now;
    }

    private void step(Op op) throws SQLException {
        if (op instanceof Op.Query q) {
            try (Statement s = c.createStatement()) {
                results(s, s.execute(q.sql()));
            } catch (SQLException e) {
                trace.add(error(e));
            }
        } else if (op instanceof Op.Batch b) {
            batch(b.steps());
        } else if (op instanceof Op.Notify n) {
            notifier.notify(n.channel(), n.payload());
        } else {
            awaitNotify((Op.AwaitNotify) op);
        }
    }

    private void batch(List<Ext> steps) throws SQLException {
        List<String[]> executions = new ArrayList<>();
        String[] bound = null;
        for (Ext step : steps) {
            if (step instanceof Parse p) {
                statements.put(p.name(), p.sql().replace("$1", "?"));
            } else if (step instanceof Bind b) {
                String sql = statements.get(b.statement());
                bound = sql == null ? null : new String[] {sql, b.params().get(0)};
                if (sql == null) {
                    executions.add(new String[] {null, b.statement()});
                }
            } else if (step instanceof Execute && bound != null) {
                executions.add(bound);
            } else if (step instanceof Close cl) {
                statements.remove(cl.name());
            }
        }
        if (executions.size() > 1 && executions.stream().allMatch(e -> e[0] != null && e[0].startsWith("UPDATE"))
                && executions.stream().map(e -> e[0]).distinct().count() == 1) {
            executeBatch(executions);
            return;
        }
        for (String[] e : executions) {
            if (!execute(e)) {
                return;
            }
        }
    }

    private boolean execute(String[] e) {
        if (e[0] == null) {
            trace.add("no statement " + e[1] + " known to this client");
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(e[0])) {
            ps.setInt(1, Integer.parseInt(e[1]));
            results(ps, ps.execute());
            return true;
        } catch (SQLException ex) {
            trace.add(error(ex));
            return false;
        }
    }

    private void executeBatch(List<String[]> executions) {
        try (PreparedStatement ps = c.prepareStatement(executions.get(0)[0])) {
            for (String[] e : executions) {
                ps.setInt(1, Integer.parseInt(e[1]));
                ps.addBatch();
            }
            trace.add("batch " + Arrays.toString(ps.executeBatch()));
        } catch (BatchUpdateException e) {
            trace.add("batch failed " + Arrays.toString(e.getUpdateCounts()) + " " + error(e.getNextException() != null ? e.getNextException() : e));
        } catch (SQLException e) {
            trace.add(error(e));
        }
    }

    private void results(Statement s, boolean isResultSet) throws SQLException {
        for (boolean rs = isResultSet; ; rs = s.getMoreResults()) {
            if (rs) {
                try (ResultSet r = s.getResultSet()) {
                    rows(r);
                }
            } else if (s.getUpdateCount() >= 0) {
                trace.add("count " + s.getUpdateCount());
            } else {
                break;
            }
        }
        for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
            trace.add("N " + w.getSQLState() + " " + w.getMessage());
        }
    }

    private void rows(ResultSet r) throws SQLException {
        ResultSetMetaData md = r.getMetaData();
        StringBuilder head = new StringBuilder("T");
        for (int col = 1; col <= md.getColumnCount(); col++) {
            head.append(' ').append(md.getColumnLabel(col)).append(':').append(md.getColumnTypeName(col));
        }
        trace.add(head.toString());
        while (r.next()) {
            List<String> values = new ArrayList<>();
            for (int col = 1; col <= md.getColumnCount(); col++) {
                values.add(String.valueOf(r.getString(col)));
            }
            trace.add("D " + String.join("|", values));
        }
    }

    private void awaitNotify(Op.AwaitNotify a) throws SQLException {
        String wanted = a.channel() + ":" + a.payload();
        long deadline = System.currentTimeMillis() + NOTIFY_WAIT_MILLIS;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!pending.contains(wanted) && System.currentTimeMillis() < deadline) {
            PGNotification[] got = pg.getNotifications((int) Math.max(1, deadline - System.currentTimeMillis()));
            if (got != null) {
                for (PGNotification n : got) {
                    pending.add(n.getName() + ":" + n.getParameter());
                }
            }
        }
        trace.add((pending.remove(wanted) ? "notified " : "NOT notified ") + wanted);
    }

    private static String error(SQLException e) {
        return "E " + e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse("");
    }
}
