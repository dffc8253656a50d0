package dev.meridian.proxy.pooling;

import dev.meridian.proxy.pooling.Reply.Action;
import dev.meridian.proxy.pooling.Reply.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Protocol-level prepared statements of one transaction-pooled client, across backend
 * connections. The client's names map to statement texts; each connection knows which texts it
 * has prepared ({@link ServerStatements}, its own names). A Bind or Describe of a statement the
 * connection lacks gets a Parse injected before it (its ParseComplete swallowed); a Parse of one
 * it has is answered here (ParseComplete in order); a Close is answered here, the server
 * statement stays for the next client. Unnamed statements, and names this client never
 * prepared, go through unchanged: PostgreSQL then answers exactly as in session mode (26000, or
 * a statement SQL PREPAREd on a pinned connection). A Parse of a name the client holds gets
 * 42P05 from Meridian, through a backend error so that the transaction fails as it would.
 *
 * <p>Every decision is recorded in the {@link ReplyPlan}, which undoes it if PostgreSQL skips or
 * refuses the message. Runs on the client's event loop.
 */
public final class PreparedStatements {
    /** A statement name no one creates: its Describe fails, and Meridian replaces the error. */
    public static final String MISSING = "mer\u0001missing";

    private final Map<String, StatementText> names = new HashMap<>();
    /** Client names whose text is DEALLOCATE ALL (false) or DISCARD ALL (true). */
    private final Map<String, Boolean> dropsAll = new HashMap<>();
    private final ReplyPlan plan;
    private final Consumer<String> outcomes;
    private final List<Step> steps = new ArrayList<>(3);
    private ReplyPlan.Retrier retrier;
    /** The Bind last marked for a retry (its request's messages are kept by the session). */
    private Reply retrying;

    /** {@code outcomes}: "prepared", "reused" or "evicted", per event (the metric's outcome). */
    public PreparedStatements(ReplyPlan plan, Consumer<String> outcomes) {
        this.plan = plan;
        this.outcomes = outcomes;
    }

    /** A Parse (the returned list is reused by the next call). */
    public List<Step> parse(ServerStatements server, String name, StatementText text) {
        return parse(server, name, text, false);
    }

    /**
     * A Parse; {@code exitsTransaction}: its text is COMMIT, END, ROLLBACK, ABORT, ROLLBACK TO or
     * PREPARE TRANSACTION, which PostgreSQL parses even in a failed transaction.
     */
    public List<Step> parse(ServerStatements server, String name, StatementText text, boolean exitsTransaction) {
        steps.clear();
        if (name.isEmpty()) {
            return forward(Kind.PARSE);
        }
        if (names.containsKey(name)) {
            plan.expect(new Reply(Kind.PARSE, Action.REPLACE_ERROR,
                    Synth.error("42P05", "prepared statement \"" + name + "\" already exists"), null));
            steps.add(Step.PROVOKE);
            return steps;
        }
        names.put(name, text);
        Runnable forget = () -> names.remove(name, text);
        String there = server.lookup(text);
        if (there == null) {
            prepare(server, text, Action.FORWARD, forget);
        } else if (plan.status() != 'E' || exitsTransaction) { // an exit statement would meet its own name: 42P05
            outcomes.accept("reused");
            plan.expect(new Reply(Kind.PARSE, Action.SYNTH, Synth.PARSE_COMPLETE, forget));
        } else { // in a failed transaction PostgreSQL refuses the Parse (25P02): let it
            plan.expect(new Reply(Kind.PARSE, Action.FORWARD, null, forget));
            steps.add(Step.parse(there, text));
        }
        return steps;
    }

    /**
     * A Parse whose text is (or holds) {@code DEALLOCATE ALL} or {@code DISCARD ALL}, as pgjdbc
     * sends every statement: once it runs no statement is left on the connection and the client
     * has no names. Both are forgotten now (the next use prepares under a new generation), else
     * Meridian would Bind names the connection no longer has (26000 for this client and for
     * every later client of the connection).
     */
    public void parseText(ServerStatements server, String name, List<List<String>> statements) {
        for (List<String> statement : statements) {
            if (Deallocation.all(statement)) {
                if (!name.isEmpty()) {
                    dropsAll.put(name, statement.get(0).equals("discard"));
                }
                dropAll(server, statement.get(0).equals("discard"));
                return;
            }
        }
    }

    /** Every statement goes, unless refused: in a failed transaction (25P02), DISCARD ALL in a block (25001). */
    private void dropAll(ServerStatements server, boolean discard) {
        if (plan.status() == 'E' || discard && plan.status() != 'I') {
            return;
        }
        names.clear();
        server.reset();
    }

    /** COMMIT, END, ROLLBACK, ABORT, ROLLBACK TO, PREPARE TRANSACTION: PostgreSQL's IsTransactionExitStmt. */
    public static boolean exitsTransaction(List<List<String>> statements) {
        if (statements.size() != 1 || statements.get(0).isEmpty()) {
            return false;
        }
        List<String> t = statements.get(0);
        String first = t.get(0);
        return first.equals("commit") || first.equals("end") || first.equals("rollback") || first.equals("abort")
                || first.equals("prepare") && t.size() > 1 && t.get(1).equals("transaction");
    }

    /** A Bind of statement {@code statement}. */
    public List<Step> bind(ServerStatements server, String statement) {
        Boolean discard = dropsAll.get(statement);
        if (discard != null && names.containsKey(statement)) { // pgjdbc re-running its named DISCARD ALL
            List<Step> s = use(server, statement, Kind.BIND);
            dropAll(server, discard);
            return s;
        }
        return use(server, statement, Kind.BIND);
    }

    /** A Describe: {@code kind} 'S' (statement) or 'P' (portal). */
    public List<Step> describe(ServerStatements server, byte kind, String name) {
        if (kind != 'S') {
            steps.clear();
            return forward(Kind.DESCRIBE_PORTAL);
        }
        return use(server, name, Kind.DESCRIBE_STATEMENT);
    }

    /** A Close: {@code kind} 'S' (statement) or 'P' (portal). */
    public List<Step> close(byte kind, String name) {
        steps.clear();
        StatementText text = kind == 'S' && !name.isEmpty() ? names.remove(name) : null;
        if (text == null) {
            return forward(Kind.CLOSE);
        }
        plan.expect(new Reply(Kind.CLOSE, Action.SYNTH, Synth.CLOSE_COMPLETE, () -> names.putIfAbsent(name, text)));
        return steps;
    }

    /**
     * Forgets client statement {@code name} without a word to anyone: a unit a replica refused
     * (25006) runs again on the primary, and the Parse it starts with must create the name anew
     * there instead of meeting itself (42P05).
     */
    public void forget(String name) {
        names.remove(name);
        dropsAll.remove(name);
    }

    /** Any other client message (Execute, Sync, Flush, FunctionCall, COPY data...): unchanged. */
    public List<Step> other(byte type) {
        steps.clear();
        return switch (type) {
            case 'E' -> forward(Kind.EXECUTE);
            case 'S' -> forward(Kind.SYNC);
            case 'P' -> forward(Kind.PARSE); // pool.max_prepared_statements: 0, the client is pinned
            case 'B' -> forward(Kind.BIND);
            case 'D' -> forward(Kind.DESCRIBE_PORTAL); // the same answers end both kinds
            case 'C' -> forward(Kind.CLOSE);
            case 'F', 'Q' -> forward(Kind.QUERY);
            default -> {
                steps.add(Step.FORWARD);
                yield steps;
            }
        };
    }

    /**
     * A simple Query, as statements of tokens ({@link SqlTokens}): {@code DEALLOCATE name} alone
     * of a name of this client is answered here; DEALLOCATE ALL and DISCARD ALL forget every
     * name and, as they run on the connection, its statements too.
     */
    public List<Step> query(ServerStatements server, List<List<String>> statements) {
        steps.clear();
        String taken = statements.size() == 1 ? Deallocation.prepared(statements.get(0)) : null;
        if (taken != null && names.containsKey(taken) && plan.status() != 'E') {
            // SQL and protocol statements share one namespace in PostgreSQL: 42P05, through a
            // backend error so that a transaction block fails as it would (25P02 if it just did)
            plan.expect(new Reply(Kind.QUERY, Action.REPLACE_ERROR,
                    Synth.error("42P05", "prepared statement \"" + taken + "\" already exists"), null));
            steps.add(Step.FAIL_QUERY);
            return steps;
        }
        String own = statements.size() == 1 ? Deallocation.name(statements.get(0)) : null;
        StatementText text = own == null ? null : names.remove(own);
        if (text != null) {
            plan.expect(new Reply(Kind.QUERY, Action.SYNTH, Synth.DEALLOCATE, () -> names.putIfAbsent(own, text)));
            return steps;
        }
        Runnable undo = null;
        for (List<String> statement : statements) {
            if (Deallocation.all(statement)) {
                if (undo == null) {
                    Map<String, StatementText> before = new HashMap<>(names);
                    undo = () -> names.putAll(before);
                }
                names.clear();
                server.reset();
            } else if (Deallocation.name(statement) != null) {
                names.remove(Deallocation.name(statement));
            }
        }
        plan.expect(new Reply(Kind.QUERY, Action.FORWARD, null, undo));
        steps.add(Step.FORWARD);
        return steps;
    }

    /**
     * Lets a failed first Bind of a request be retried once on a fresh statement; {@code r} keeps
     * the request's messages meanwhile.
     */
    public void retrier(ReplyPlan.Retrier r) {
        this.retrier = r;
        plan.retrier(r);
    }

    /** True when the Bind just decided may be retried: its request's messages must be kept. */
    public boolean retryCandidate() {
        return retrying != null && retrying.retry != null;
    }

    /** The request took a shape that is not retried (more than Describe, Execute, Sync). */
    public void abandonRetry() {
        if (retrying != null && retrying.retry != null) {
            retrying.retry = null;
        }
        retrying = null;
    }

    /** The steps of the retried Bind: the stale statement closed, the text prepared afresh, the Bind renamed. */
    public List<Step> retry(Reply.Retry r) {
        steps.clear();
        retrying = null;
        r.server().invalidate(r.text(), r.name());
        String fresh = prepare(r.server(), r.text(), Action.DROP, null);
        plan.expect(Reply.forward(Kind.BIND));
        steps.add(Step.rename(fresh));
        return steps;
    }

    /** The client's statement names (SHOW CLIENTS, tests). */
    public int size() {
        return names.size();
    }

    private List<Step> use(ServerStatements server, String name, Kind kind) {
        steps.clear();
        StatementText text = name.isEmpty() ? null : names.get(name);
        if (text == null) {
            return forward(kind);
        }
        boolean firstOfRequest = plan.idle() && plan.status() == 'I';
        String there = server.lookup(text);
        boolean fresh = there == null; // a statement prepared just now has no stale plan to retry
        if (fresh) {
            there = prepare(server, text, Action.DROP, null);
        } else if (kind == Kind.BIND) {
            outcomes.accept("reused");
        }
        String prepared = there;
        if (kind != Kind.BIND) {
            plan.expect(Reply.forward(kind));
        } else {
            // A failed Bind may mean a stale plan (0A000 after DDL): prepare afresh next time, so a
            // client that re-prepares (pgjdbc does) gets a new plan instead of the same error.
            Reply bind = new Reply(kind, Action.FORWARD, null, () -> server.invalidate(text, prepared));
            if (firstOfRequest && !fresh && retrier != null) {
                bind.retry = new Reply.Retry(text, prepared, server);
                retrying = bind;
            }
            plan.expect(bind);
        }
        steps.add(Step.rename(there));
        return steps;
    }

    /** Adds the Close of an evicted statement, if any, and the Parse of {@code text}; returns its name. */
    private String prepare(ServerStatements server, StatementText text, Action action, Runnable undo) {
        for (String stale : server.takeStale()) {
            plan.expect(new Reply(Kind.CLOSE, Action.DROP, null, null));
            steps.add(Step.close(stale));
        }
        ServerStatements.Added a = server.add(text);
        if (a.evicted() != null) {
            outcomes.accept("evicted");
            plan.expect(new Reply(Kind.CLOSE, Action.DROP, null, () -> server.restore(a.evictedText(), a.evicted())));
            steps.add(Step.close(a.evicted()));
        }
        outcomes.accept("prepared");
        Runnable gone = () -> server.forget(text, a.name());
        plan.expect(new Reply(Kind.PARSE, action, null, undo == null ? gone : () -> {
            gone.run();
            undo.run();
        }));
        steps.add(Step.parse(a.name(), text));
        return a.name();
    }

    private List<Step> forward(Kind kind) {
        plan.expect(Reply.forward(kind));
        steps.add(Step.FORWARD);
        return steps;
    }
}
