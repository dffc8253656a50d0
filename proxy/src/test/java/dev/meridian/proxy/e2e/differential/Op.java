package dev.meridian.proxy.e2e.differential;

import java.util.List;

/**
 * One step of a client's random program. The same program runs once through session mode and
 * once through transaction mode; each runner turns a step into wire messages (or pgjdbc calls)
 * and writes what the client saw into its trace.
 */
public sealed interface Op {
    /** A simple-protocol Query message. */
    record Query(String sql) implements Op {
    }

    /** Extended-protocol messages written in one flight, then Sync: a pipelined batch. */
    record Batch(List<Ext> steps) implements Op {
    }

    /** {@code NOTIFY channel, payload} sent by another connection, straight to PostgreSQL. */
    record Notify(String channel, String payload) implements Op {
    }

    /** Waits (bounded) for a notification on {@code channel} with {@code payload}; records whether it came. */
    record AwaitNotify(String channel, String payload) implements Op {
    }

    /** One extended-protocol message of a {@link Batch}. SQL uses {@code $n} placeholders. */
    sealed interface Ext {
    }

    record Parse(String name, String sql) implements Ext {
    }

    /** Bind of statement {@code statement} to the unnamed portal, parameters as text. */
    record Bind(String statement, List<String> params) implements Ext {
    }

    /** Execute of the unnamed portal, all rows. */
    record Execute() implements Ext {
    }

    /** Describe of a statement ({@code 'S'}) or of the unnamed portal ({@code 'P'}). */
    record Describe(char kind, String name) implements Ext {
    }

    /** Close of a statement. */
    record Close(String name) implements Ext {
    }

    /** A Sync in the middle of a batch: the batch goes on, pipelined, after its ReadyForQuery. */
    record Sync() implements Ext {
    }
}
