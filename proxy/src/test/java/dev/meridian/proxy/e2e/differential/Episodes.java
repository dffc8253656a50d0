package dev.meridian.proxy.e2e.differential;

import static dev.meridian.proxy.e2e.differential.ProgramGenerator.bind;
import static dev.meridian.proxy.e2e.differential.ProgramGenerator.close;
import static dev.meridian.proxy.e2e.differential.ProgramGenerator.describe;
import static dev.meridian.proxy.e2e.differential.ProgramGenerator.execute;
import static dev.meridian.proxy.e2e.differential.ProgramGenerator.parse;

import dev.meridian.proxy.e2e.differential.Op.Ext;
import java.util.ArrayList;
import java.util.List;

/** The episodes of a {@link ProgramGenerator} program other than transactions and LISTEN. */
final class Episodes {
    private static final String[] ISO_DATESTYLES = {"ISO, DMY", "ISO, MDY", "ISO, YMD"};
    private static final String[] DATESTYLES = {"German", "SQL, DMY", "Postgres, MDY", "ISO, YMD"};

    private final ProgramGenerator g;

    Episodes(ProgramGenerator g) {
        this.g = g;
    }

    /** Every statement takes one int parameter, so any name can be re-bound to any of them. */
    private List<String> statements() {
        String t = g.table();
        return List.of("SELECT $1::int + 1",
                "SELECT v FROM " + t + " WHERE k = $1::int",
                "SELECT count(*) FROM " + t + " WHERE k > $1::int",
                "SELECT $1::int AS n, 'label'::text AS label, DATE '2024-03-05' + $1::int AS d",
                "UPDATE " + t + " SET v = v || '+' WHERE k = $1::int RETURNING v",
                "SELECT 10 / $1::int");
    }

    private String statement() {
        List<String> s = statements();
        return s.get(g.nextInt(s.size()));
    }

    void setting() {
        int c = g.client();
        switch (g.nextInt(7)) {
            case 0 -> {
                g.q(g.pick("SET search_path = c" + c + ", public", "SET search_path TO public", "RESET search_path"));
                g.q("SELECT count(*) FROM t");
                g.q("SHOW search_path");
            }
            case 1 -> {
                // 200ms is far above what SHOW or RESET take and far below the sleep: no race.
                g.q("SET statement_timeout = '200ms'");
                g.q("SELECT pg_sleep(0.5)");
                g.q("SHOW statement_timeout");
                g.q(g.pick("RESET statement_timeout", "SET statement_timeout = 0"));
            }
            case 2 -> {
                g.q("SET application_name = 'c" + c + "_" + g.nextInt(100) + "'");
                g.q("SHOW application_name");
            }
            case 3 -> {
                g.q("SET DateStyle = '" + g.pick(g.jdbc() ? ISO_DATESTYLES : DATESTYLES) + "'");
                g.q("SELECT DATE '2024-03-05'::text, TIMESTAMP '2024-03-05 06:07:08'::text");
            }
            case 4 -> {
                g.q("SET x.c" + c + " = 'v" + g.nextInt(100) + "'");
                g.q("SELECT current_setting('x.c" + c + "')");
                if (g.nextBoolean()) {
                    g.q("RESET x.c" + c);
                    g.q("SELECT current_setting('x.c" + c + "', true)");
                }
            }
            case 5 -> {
                g.q("SELECT set_config('application_name', 'cfg_c" + c + "', false)");
                g.q("SHOW application_name");
            }
            default -> {
                g.q("RESET ALL");
                g.q("SHOW DateStyle");
            }
        }
    }

    /** A named or unnamed statement parsed (or re-used), bound and executed once or twice. */
    void prepared() {
        String name = g.pick("", "s1", "s2", "s3");
        List<Ext> steps = new ArrayList<>();
        if (name.isEmpty() || g.nextInt(3) > 0) {
            steps.add(parse(name, statement()));
        }
        if (g.nextInt(4) == 0) {
            steps.add(describe('S', name));
        }
        int executions = 1 + g.nextInt(2);
        for (int e = 0; e < executions; e++) {
            steps.add(bind(name, 1 + g.nextInt(6)));
            if (g.nextBoolean()) {
                steps.add(describe('P', ""));
            }
            steps.add(execute());
        }
        if (!name.isEmpty() && g.nextInt(5) == 0) {
            steps.add(close(name));
        }
        g.batch(steps);
    }

    /** A pipelined batch whose middle statement divides by zero: the rest is skipped until Sync. */
    void erroringBatch() {
        List<Ext> steps = new ArrayList<>();
        String update = "UPDATE " + g.table() + " SET v = v || '.' WHERE k = 10 / $1::int";
        steps.add(parse("", update));
        int n = 3 + g.nextInt(3);
        int zeroAt = 1 + g.nextInt(n - 1);
        for (int e = 0; e < n; e++) {
            steps.add(bind("", e == zeroAt ? 0 : 2 + g.nextInt(4)));
            steps.add(execute());
        }
        if (!g.jdbc() && g.nextBoolean()) {
            if (g.nextBoolean()) {
                steps.add(new Op.Sync()); // what follows runs: the error ended at this Sync
            }
            String name = g.name();
            steps.add(parse(name, statement()));
            steps.add(bind(name, 1));
            steps.add(execute());
        }
        g.batch(steps);
    }

    /** Simple-protocol corners: several statements in one Query (one failing), an empty Query, COPY out. */
    void simpleCorners() {
        String t = g.table();
        switch (g.nextInt(g.jdbc() ? 2 : 4)) {
            case 0 -> g.q("SELECT count(*) FROM " + t + "; SELECT 1 / " + g.nextInt(2) + "; SELECT 3");
            case 1 -> g.q("UPDATE " + t + " SET v = v || 'm' WHERE k = 1; SELECT v FROM " + t + " WHERE k = 1");
            case 2 -> g.q("");
            default -> g.q("COPY (SELECT k, v FROM " + t + " ORDER BY k) TO STDOUT");
        }
    }

    void advisoryLock() {
        int key = 7000 + g.client();
        String count = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()";
        g.q(g.pick("SELECT pg_advisory_lock(" + key + ")", "SELECT pg_try_advisory_lock(" + key + ")",
                "SELECT pg_advisory_lock_shared(" + key + ")", "SELECT pg_advisory_xact_lock(" + key + ")"));
        g.q(count);
        if (g.nextBoolean()) {
            prepared();
        }
        if (g.nextInt(4) > 0) {
            g.q(g.pick("SELECT pg_advisory_unlock(" + key + ")", "SELECT pg_advisory_unlock_all()",
                    "SELECT pg_advisory_unlock_all()"));
            g.q(count);
        }
    }

    void tempTable() {
        String tmp = "tmp_c" + g.client();
        g.q("CREATE TEMP TABLE " + tmp + " (a int)");
        g.q("INSERT INTO " + tmp + " VALUES (1), (2), (" + g.nextInt(100) + ")");
        g.q("SELECT sum(a), count(*) FROM " + tmp);
        switch (g.nextInt(3)) {
            case 0 -> g.q("DROP TABLE " + tmp);
            case 1 -> g.q("DISCARD TEMP");
            default -> {
                // left behind: a later CREATE fails with 42P07 in both modes
            }
        }
    }

    void discard() {
        if (g.jdbc()) {
            g.q(g.pick("DISCARD ALL", "DEALLOCATE ALL"));
        } else {
            g.q(g.pick("DISCARD ALL", "DEALLOCATE ALL", "DEALLOCATE " + g.name(), "DEALLOCATE PREPARE " + g.name()));
        }
    }

    /**
     * SQL PREPARE/EXECUTE. In PostgreSQL they share the namespace of protocol-level statements
     * (42P05 on a clash, EXECUTE of a protocol statement); transaction mode keeps the two apart
     * (a documented limit), so these names never meet the protocol ones.
     */
    void sqlPrepare() {
        String name = "q" + g.client() + "_" + g.nextInt(2);
        g.q("PREPARE " + name + " AS SELECT $1::int * 3");
        g.q("EXECUTE " + name + "(" + g.nextInt(10) + ")");
        if (g.nextBoolean()) {
            g.q("DEALLOCATE " + name);
        }
    }
}
