package dev.meridian.proxy.e2e.differential;

import dev.meridian.proxy.e2e.differential.Op.Batch;
import dev.meridian.proxy.e2e.differential.Op.Bind;
import dev.meridian.proxy.e2e.differential.Op.Close;
import dev.meridian.proxy.e2e.differential.Op.Describe;
import dev.meridian.proxy.e2e.differential.Op.Execute;
import dev.meridian.proxy.e2e.differential.Op.Ext;
import dev.meridian.proxy.e2e.differential.Op.Parse;
import dev.meridian.proxy.e2e.differential.Op.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random program for client {@code i}: episodes of session settings, transactions,
 * prepared statements, pipelined batches with an error in the middle, advisory locks,
 * LISTEN/NOTIFY, temporary tables and DISCARD/DEALLOCATE, in random order. Data lives in the
 * client's own schema {@code c<i>} (table {@code t(k int primary key, v text)}, rows 1..5), so
 * clients running at the same time do not see each other's work. Nothing it asks depends on
 * time or process ids, so session mode and transaction mode must answer it identically.
 */
public final class ProgramGenerator {
    /** Statement names shared between protocol-level Parse, SQL PREPARE and DEALLOCATE, so they collide. */
    private static final String[] NAMES = {"s1", "s2", "s3"};

    private final Random r;
    private final int i;
    private final boolean jdbc;
    private final List<Op> ops = new ArrayList<>();
    private final Episodes episodes;
    private boolean inTxn;
    private boolean listening;

    private ProgramGenerator(long seed, int client, boolean jdbc) {
        this.r = new Random(seed * 1_000_003L + client);
        this.i = client;
        this.jdbc = jdbc;
        this.episodes = new Episodes(this);
    }

    /** The program of client {@code client} for {@code seed}; {@code jdbc} avoids what pgjdbc refuses (non-ISO DateStyle). */
    public static List<Op> program(long seed, int client, boolean jdbc, int episodeCount) {
        ProgramGenerator g = new ProgramGenerator(seed, client, jdbc);
        for (int e = 0; e < episodeCount; e++) {
            g.episode();
        }
        if (g.inTxn) {
            g.q(g.pick("COMMIT", "ROLLBACK"));
        }
        g.q("SELECT count(*), coalesce(sum(k), 0), string_agg(v, ',' ORDER BY k) FROM " + g.table());
        g.q("SHOW application_name");
        return List.copyOf(g.ops);
    }

    /**
     * Even clients stay (mostly) unpinned: only settings, transactions, statements, batches and
     * DISCARD, so they really move between connections; odd ones also take pins and end them.
     */
    private void episode() {
        if (i % 2 == 0) {
            switch (r.nextInt(9)) {
                case 0, 1 -> episodes.setting();
                case 2, 3 -> transaction();
                case 4, 5 -> episodes.prepared();
                case 6 -> episodes.erroringBatch();
                case 7 -> episodes.simpleCorners();
                default -> episodes.discard();
            }
            return;
        }
        switch (r.nextInt(12)) {
            case 0, 1 -> episodes.setting();
            case 2, 3 -> transaction();
            case 4, 5 -> episodes.prepared();
            case 6 -> episodes.erroringBatch();
            case 7 -> episodes.advisoryLock();
            case 8 -> listen();
            case 9 -> episodes.tempTable();
            case 10 -> episodes.discard();
            default -> episodes.sqlPrepare();
        }
    }

    private void transaction() {
        if (!inTxn) {
            q(pick("BEGIN", "START TRANSACTION", "BEGIN ISOLATION LEVEL REPEATABLE READ"));
            inTxn = true;
        }
        int n = 1 + r.nextInt(4);
        for (int s = 0; s < n; s++) {
            switch (r.nextInt(9)) {
                case 7 -> episodes.simpleCorners();
                case 0 -> q("INSERT INTO " + table() + " VALUES (" + (10 + r.nextInt(40)) + ", 'i" + s + "')");
                case 1 -> q("UPDATE " + table() + " SET v = v || 'u' WHERE k <= " + r.nextInt(6));
                case 2 -> q("SELECT k, v FROM " + table() + " ORDER BY k");
                case 3 -> q("SELECT 1 / " + r.nextInt(2));
                case 4 -> q("SET LOCAL statement_timeout = '" + (1 + r.nextInt(9)) + "s'");
                case 5 -> episodes.prepared();
                case 6 -> {
                    q("SAVEPOINT sp");
                    q("SELECT 1 / 0");
                    q("ROLLBACK TO SAVEPOINT sp");
                }
                default -> episodes.setting();
            }
        }
        if (r.nextInt(4) > 0) {
            q(pick("COMMIT", "COMMIT", "ROLLBACK", "END"));
            inTxn = false;
        }
    }

    private void listen() {
        if (inTxn) {
            episodes.setting();
            return;
        }
        String channel = "ch_c" + i;
        if (!listening || r.nextBoolean()) {
            q("LISTEN " + channel);
            listening = true;
        }
        String payload = "p" + r.nextInt(1000);
        ops.add(new Op.Notify(channel, payload));
        ops.add(new Op.AwaitNotify(channel, payload));
        if (r.nextBoolean()) {
            q("NOTIFY " + channel + ", 'self" + payload + "'");
            ops.add(new Op.AwaitNotify(channel, "self" + payload));
        }
        if (r.nextBoolean()) {
            q(pick("UNLISTEN *", "UNLISTEN *", "UNLISTEN " + channel));
            listening = false;
        }
    }

    // --- what the episodes share ---

    void q(String sql) {
        ops.add(new Query(sql));
        if (sql.equals("DISCARD ALL") && !inTxn) {
            listening = false;
        }
    }

    void batch(List<Ext> steps) {
        ops.add(new Batch(List.copyOf(steps)));
    }

    String pick(String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    String name() {
        return NAMES[r.nextInt(NAMES.length)];
    }

    int nextInt(int bound) {
        return r.nextInt(bound);
    }

    boolean nextBoolean() {
        return r.nextBoolean();
    }

    boolean jdbc() {
        return jdbc;
    }

    boolean inTxn() {
        return inTxn;
    }

    int client() {
        return i;
    }

    String table() {
        return "c" + i + ".t";
    }

    static Parse parse(String name, String sql) {
        return new Parse(name, sql);
    }

    static Bind bind(String name, int param) {
        return new Bind(name, List.of(Integer.toString(param)));
    }

    static Execute execute() {
        return new Execute();
    }

    static Describe describe(char kind, String name) {
        return new Describe(kind, name);
    }

    static Close close(String name) {
        return new Close(name);
    }
}
