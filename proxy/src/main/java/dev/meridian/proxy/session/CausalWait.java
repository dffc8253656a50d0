package dev.meridian.proxy.session;

/**
 * The causal wait of a {@code target: auto} read (docs/read-routing.md): the chosen replica is
 * asked how far it has replayed, every {@link #POLL_MILLIS} ms, until it has replayed the client's
 * own writes or {@code health.causal_wait} is over (then the read goes to the primary).
 */
final class CausalWait {
    static final String SQL = "SELECT pg_last_wal_replay_lsn()::text AS \"" + LsnReply.COLUMN + "\"";
    static final long POLL_MILLIS = 5;

    private CausalWait() {
    }
}
