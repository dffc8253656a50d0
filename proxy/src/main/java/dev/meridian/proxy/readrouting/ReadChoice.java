package dev.meridian.proxy.readrouting;

import java.util.List;
import java.util.Locale;

/**
 * Where one unit of a {@code target: auto} session goes (docs/read-routing.md), a pure function:
 * a write to the primary; a read to the first replica, in routing order (nearest first, only
 * inside the database's regions, only up), whose lag is known and within the allowance and which
 * has replayed the client's own writes (its read-your-writes floor); else to the primary, saying
 * why. A replica whose lag is not measured yet takes no reads.
 */
public final class ReadChoice {
    /** The {@code decision} label of {@code meridian_read_routing_total}. */
    public enum Decision {
        REPLICA, PRIMARY_WRITE, PRIMARY_FALLBACK, PRIMARY_LAGGING, PRIMARY_CAUSAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A replica that may serve the read: its name, last known replay position and lag in seconds (NaN: unknown). */
    public record Replica(String name, long lsn, double lag) {
    }

    /**
     * @param replica the replica to read from, or null (the primary)
     * @param behind  for PRIMARY_CAUSAL: the best replica within the lag allowance that had not
     *                replayed the floor when last seen (worth asking again), else null
     */
    public record Result(Decision decision, Replica replica, Replica behind) {
    }

    private ReadChoice() {
    }

    /** @param floor the client's read-your-writes floor (WAL position), or -1 for none */
    public static Result choose(boolean readOnly, List<Replica> ranked, double maxLagSeconds, long floor) {
        if (!readOnly) {
            return new Result(Decision.PRIMARY_WRITE, null, null);
        }
        Replica behind = null;
        for (Replica r : ranked) {
            if (Double.isNaN(r.lag()) || r.lag() > maxLagSeconds) {
                continue;
            }
            if (floor < 0 || r.lsn() >= floor) {
                return new Result(Decision.REPLICA, r, null);
            }
            if (behind == null) {
                behind = r;
            }
        }
        return behind == null ? new Result(Decision.PRIMARY_LAGGING, null, null)
                : new Result(Decision.PRIMARY_CAUSAL, null, behind);
    }

    /**
     * The replica a read of {@code result} (PRIMARY_CAUSAL) should wait for, up to
     * {@code health.causal_wait}: the best one within the lag allowance, when its measured lag is
     * within the wait (a replica further behind would not catch up in time); null: none, the read
     * goes to the primary at once. A wait of 0 never waits.
     */
    public static Replica worthWaitingFor(Result result, double waitSeconds) {
        Replica behind = result.behind();
        return behind != null && waitSeconds > 0 && behind.lag() <= waitSeconds ? behind : null;
    }
}
