package dev.meridian.proxy.pooling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What makes two protocol-level prepared statements the same on a backend connection: a
 * Parse's body after the statement name (query text, NUL, parameter count and type OIDs), as
 * bytes. Kept raw so an injected Parse re-sends exactly what the client sent, whatever its
 * encoding.
 */
public final class StatementText {
    private final byte[] tail;
    private final int hash;

    public StatementText(byte[] tail) {
        this.tail = tail;
        this.hash = Arrays.hashCode(tail);
    }

    /** For tests and logs: the query text (ISO-8859-1, one char per byte) and no types. */
    public static StatementText of(String query) {
        byte[] q = query.getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = Arrays.copyOf(q, q.length + 3); // NUL, int16 0 parameter types
        return new StatementText(tail);
    }

    /** The bytes to put after the statement name in a Parse (never modified by the caller). */
    public byte[] bytes() {
        return tail;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof StatementText t && t.hash == hash && Arrays.equals(t.tail, tail);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        int nul = 0;
        while (nul < tail.length && tail[nul] != 0) {
            nul++;
        }
        return new String(tail, 0, nul, StandardCharsets.ISO_8859_1);
    }
}
