package dev.meridian.proxy.pooling;

/**
 * One message to put on the backend connection for a client message, decided by
 * {@link PreparedStatements}: the client's own bytes, a Parse or Close of Meridian's own, the
 * client's Bind or Describe naming the server-side statement instead, or a Describe that makes
 * the backend fail (and skip to Sync) where PostgreSQL would have failed the client's message.
 */
public record Step(Type type, String name, StatementText text) {
    public enum Type {
        /** The client's message, unchanged. */
        FORWARD,
        /** Parse {@code name} with {@code text}. */
        PARSE,
        /** Close 'S' {@code name}. */
        CLOSE,
        /** The client's Bind or Describe with its statement name replaced by {@code name}. */
        RENAME,
        /** Describe 'S' of a name that never exists ({@link PreparedStatements#MISSING}): an error to replace. */
        PROVOKE,
        /** Instead of the client's Query, one that fails without side effects (DEALLOCATE of {@code name}): an error to replace. */
        FAIL_QUERY
    }

    public static final Step FORWARD = new Step(Type.FORWARD, null, null);
    public static final Step PROVOKE = new Step(Type.PROVOKE, PreparedStatements.MISSING, null);
    public static final Step FAIL_QUERY = new Step(Type.FAIL_QUERY, PreparedStatements.MISSING, null);

    static Step parse(String name, StatementText text) {
        return new Step(Type.PARSE, name, text);
    }

    static Step close(String name) {
        return new Step(Type.CLOSE, name, null);
    }

    static Step rename(String name) {
        return new Step(Type.RENAME, name, null);
    }
}
