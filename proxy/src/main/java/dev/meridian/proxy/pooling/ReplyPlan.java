package dev.meridian.proxy.pooling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the client's answers in order when Meridian rewrites the message stream: one
 * {@link Reply} per message sent to the backend (or answered locally), in sending order. Each
 * backend message is matched against the oldest open reply: forwarded or swallowed; a reply
 * Meridian answers itself goes out as soon as every earlier one has.
 *
 * <p>An ErrorResponse to an extended-protocol message makes PostgreSQL skip everything up to the
 * next Sync (protocol docs, "Extended Query"): the replies in between get no answer, including
 * ones Meridian would have synthesised, and what sending them changed in the books is undone,
 * newest first. Asynchronous messages (NoticeResponse, ParameterStatus, NotificationResponse)
 * belong to no reply and are always forwarded.
 */
public final class ReplyPlan {
    /**
     * A Parse of a name the client holds, in a failed transaction: PostgreSQL refuses it (25P02)
     * before it looks at the name. Decided when the answer is due, as only then is the status of
     * the transaction known (a Sync earlier in the same pipeline may just have ended it failed).
     */
    private static final Synth ABORTED = Synth.error("25P02",
            "current transaction is aborted, commands ignored until end of transaction block");

    /** Re-sends a failed Bind and the rest of its request (Describe, Execute, Sync) on a fresh statement. */
    public interface Retrier {
        /** The Bind failed and may be retried: re-send now (the backend is skipping to the old Sync). */
        void retry(Reply.Retry retry);

        /** The Bind's outcome is known without a retry: what was kept for one can go. */
        void noRetry();
    }

    private Retrier retrier;
    private boolean retrying;

    private final ArrayDeque<Reply> open = new ArrayDeque<>();
    private final ArrayDeque<Synth> ready = new ArrayDeque<>();
    private boolean skipping;
    private int status = 'I';
    private byte type;
    private boolean completes;
    private boolean failed;
    /** The error to put in place of the one ending now (a Query sent to fail), else null. */
    private Synth replacing;

    public void retrier(Retrier r) {
        this.retrier = r;
    }

    /** One more message is on its way (or answered here). */
    public void expect(Reply reply) {
        open.add(reply);
        settle(null);
    }

    /** A backend message of {@code type} begins; true when the client gets it. */
    public boolean begin(byte type) {
        this.type = type;
        completes = false;
        failed = false;
        Reply head = open.peek();
        if (head == null || type == 'N' || type == 'S' || type == 'A') {
            return true;
        }
        if (type == 'E') {
            if (!head.kind.extended() && head.action == Reply.Action.REPLACE_ERROR) {
                replacing = head.synth; // a Query sent to fail in place of the client's: its error is replaced
                return false;
            }
            if (!head.kind.extended()) {
                head.undo(); // a DISCARD ALL or DEALLOCATE ALL that failed left the statements in place
                return true;
            }
            completes = true;
            if (head.retry != null && retryable()) {
                retrying = true; // nothing of this request has reached the client: the error is swallowed
                return false;
            }
            failed = true;
            return head.action != Reply.Action.REPLACE_ERROR;
        }
        completes = head.kind.completedBy(type);
        // a Query sent to fail: its ReadyForQuery (and any notice) is the client's
        return head.action == Reply.Action.FORWARD
                || head.kind == Reply.Kind.QUERY && head.action == Reply.Action.REPLACE_ERROR;
    }

    /** The message begun last has ended ({@code firstBodyByte}: a ReadyForQuery's status). */
    public void end(int firstBodyByte) {
        if (type == 'Z') {
            status = firstBodyByte;
        }
        if (replacing != null) { // before the ReadyForQuery: the status is the one the Query met
            ready.add(status == 'E' ? ABORTED : replacing);
            replacing = null;
        }
        if (!completes) {
            return;
        }
        completes = false;
        Reply done = open.poll();
        if (retrying) {
            retrying = false;
            retry(done);
            return;
        }
        if (done.retry != null) {
            done.retry = null;
            retrier.noRetry();
        }
        if (failed) {
            if (done.action == Reply.Action.REPLACE_ERROR) {
                ready.add(status == 'E' && "42P05".equals(done.synth.sqlState()) ? ABORTED : done.synth);
            }
            skipping = true;
            settle(done);
        } else {
            settle(null);
        }
    }

    /** Synthesised answers due now, oldest first (null when none). */
    public Synth nextSynth() {
        return ready.poll();
    }

    public boolean hasSynth() {
        return !ready.isEmpty();
    }

    /** The transaction status of the last ReadyForQuery ('I', 'T' or 'E'). */
    public int status() {
        return status;
    }

    /** Nothing is awaited from the backend. */
    public boolean idle() {
        return open.isEmpty();
    }

    /**
     * A Bind may be retried when what follows it is a Describe of the portal, Executes, then the
     * Sync, and nothing after: the re-sent messages then follow that Sync on the wire. Without the
     * Describe the client would read the new rows with the row description it kept from before
     * (pgjdbc does): it gets the error instead, as from PostgreSQL.
     */
    private boolean retryable() {
        java.util.Iterator<Reply> it = open.iterator();
        it.next();
        boolean described = false;
        while (it.hasNext()) {
            Reply r = it.next();
            if (r.kind == Reply.Kind.SYNC) {
                return described && !it.hasNext();
            }
            if (r.kind == Reply.Kind.DESCRIBE_PORTAL) {
                described = true;
            } else if (r.kind != Reply.Kind.EXECUTE || !described) {
                return false;
            }
        }
        return false;
    }

    /** The backend skips to the old Sync (no answers), whose ReadyForQuery is swallowed; then the retry's. */
    private void retry(Reply failedBind) {
        while (open.peek().kind != Reply.Kind.SYNC) {
            open.poll();
        }
        open.poll();
        open.addFirst(new Reply(Reply.Kind.SYNC, Reply.Action.DROP, null, null));
        Reply.Retry r = failedBind.retry;
        failedBind.retry = null;
        retrier.retry(r);
    }

    private void settle(Reply failedReply) {
        List<Reply> skipped = null;
        if (failedReply != null) {
            skipped = new ArrayList<>();
            skipped.add(failedReply);
        }
        while (!open.isEmpty()) {
            Reply head = open.peek();
            if (skipping) {
                if (head.kind == Reply.Kind.SYNC) {
                    skipping = false;
                    break;
                }
                if (skipped == null) {
                    skipped = new ArrayList<>();
                }
                skipped.add(open.poll());
                continue;
            }
            if (head.action != Reply.Action.SYNTH) {
                break;
            }
            ready.add(answer(open.poll()));
        }
        for (int k = skipped == null ? -1 : skipped.size() - 1; k >= 0; k--) {
            Reply r = skipped.get(k);
            if (r.retry != null) {
                r.retry = null;
                retrier.noRetry();
            }
            r.undo();
        }
    }

    private Synth answer(Reply r) {
        if (r.synth.type() != Synth.Type.DEALLOCATE) {
            return r.synth;
        }
        if (status == 'E') { // PostgreSQL refuses every command but ROLLBACK in a failed transaction
            r.undo();
            return new Synth(Synth.Type.ERROR_READY, "25P02",
                    "current transaction is aborted, commands ignored until end of transaction block", 'E');
        }
        return r.synth.withStatus(status);
    }
}
