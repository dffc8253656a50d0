package dev.meridian.proxy.e2e.differential;

import dev.meridian.proxy.e2e.differential.WireSession.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a program over {@link WireSession} and writes every backend message into the trace, in
 * order, normalised where session and transaction mode may rightly differ: BackendKeyData (the
 * proxy's random keys), a RowDescription's table OID (the tables are re-created between the
 * runs), a notification's sender pid. Notifications arrive when they arrive, so they are
 * collected aside and an {@link Op.AwaitNotify} records whether its one came.
 */
final class WireRunner {
    private static final int NOTIFY_WAIT_MILLIS = 5_000;

    private final List<String> trace = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final Notifier notifier;

    private WireRunner(Notifier notifier) {
        this.notifier = notifier;
    }

    static List<String> run(int port, Map<String, String> startup, List<Op> program, Notifier notifier) {
        WireRunner runner = new WireRunner(notifier);
        try (WireSession s = new WireSession(port, startup)) {
            runner.startup(s);
            for (Op op : program) {
                runner.trace.add("> " + op);
                runner.step(s, op);
            }
        } catch (IOException | RuntimeException e) {
            runner.trace.add("! " + e);
        }
        runner.trace.add("pending notifications " + new TreeSet<>(runner.pending));
        return runner.trace;
    }

    private void startup(WireSession s) throws IOException {
        TreeSet<String> params = new TreeSet<>();
        Message m;
        while ((m = s.read()).type() != 'Z') {
            if (m.type() == 'S') {
                params.add(render(m));
            } else if (m.type() == 'E') {
                trace.add(render(m));
                throw new IOException("startup refused");
            }
        }
        trace.add("startup " + params + " " + render(m));
    }

    private void step(WireSession s, Op op) throws IOException {
        if (op instanceof Op.Query q) {
            s.query(q.sql());
            readUntilReady(s);
        } else if (op instanceof Op.Batch b) {
            s.batch(b.steps());
            for (Op.Ext e : b.steps()) {
                if (e instanceof Op.Sync) {
                    readUntilReady(s);
                }
            }
            readUntilReady(s);
        } else if (op instanceof Op.Notify n) {
            notifier.notify(n.channel(), n.payload());
        } else {
            Op.AwaitNotify a = (Op.AwaitNotify) op;
            String wanted = a.channel() + ":" + a.payload();
            long deadline = System.currentTimeMillis() + NOTIFY_WAIT_MILLIS;
            while (!pending.contains(wanted) && System.currentTimeMillis() < deadline) {
                Message m = s.poll((int) Math.max(1, deadline - System.currentTimeMillis()));
                if (m != null) {
                    record(m);
                }
            }
            trace.add((pending.remove(wanted) ? "notified " : "NOT notified ") + wanted);
        }
    }

    private void readUntilReady(WireSession s) throws IOException {
        Message m;
        do {
            m = s.read();
            record(m);
        } while (m.type() != 'Z');
    }

    private void record(Message m) {
        if (m.type() == 'A') {
            ByteBuffer b = ByteBuffer.wrap(m.body());
            b.getInt();
            pending.add(cstring(b) + ":" + cstring(b));
        } else {
            trace.add(render(m));
        }
    }

    static String render(Message m) {
        ByteBuffer b = ByteBuffer.wrap(m.body());
        switch (m.type()) {
            case 'T': {
                StringBuilder sb = new StringBuilder("T");
                for (int n = b.getShort(); n > 0; n--) {
                    sb.append(' ').append(cstring(b));
                    b.getInt();
                    b.getShort();
                    sb.append(':').append(b.getInt());
                    b.getShort();
                    b.getInt();
                    b.getShort();
                }
                return sb.toString();
            }
            case 'D': {
                List<String> values = new ArrayList<>();
                for (int n = b.getShort(); n > 0; n--) {
                    int len = b.getInt();
                    if (len < 0) {
                        values.add("NULL");
                    } else {
                        byte[] v = new byte[len];
                        b.get(v);
                        values.add(new String(v, StandardCharsets.UTF_8));
                    }
                }
                return "D " + String.join("|", values);
            }
            case 'E', 'N': {
                String code = "";
                String text = "";
                while (b.hasRemaining()) {
                    char field = (char) b.get();
                    if (field == 0) {
                        break;
                    }
                    String value = cstring(b);
                    if (field == 'C') {
                        code = value;
                    } else if (field == 'M') {
                        text = value;
                    }
                }
                return m.type() + " " + code + " " + text;
            }
            case 'S':
                return "S " + cstring(b) + "=" + cstring(b);
            case 'C':
                return "C " + cstring(b);
            case 'Z':
                return "Z " + (char) b.get();
            case 'K':
                return "K";
            default:
                return m.type() + " " + m.body().length;
        }
    }

    private static String cstring(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // scan to the terminator
        }
        return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
    }
}
