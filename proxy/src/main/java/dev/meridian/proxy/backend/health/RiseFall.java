package dev.meridian.proxy.backend.health;

import java.util.Optional;

/**
 * The verdict of one backend's checks, HAProxy style: {@code fall} failed checks in a row take
 * an up backend down, {@code rise} good ones in a row bring a down one back.
 *
 * <p>Checks that fail during the grace period after start are not counted at all: an up backend
 * goes down only after {@code fall} failures in a row that all end after the grace period. So a
 * proxy that boots next to its databases does not refuse sessions while they come up, nor when
 * it is the slow one: a cold JVM on a busy machine can take longer than {@code timeout} for its
 * first probes, and those timeouts say nothing about the backend.
 *
 * <p>A session that cannot connect makes the backend {@link CheckState#SUSPECT}: out of
 * routing at once, without waiting for {@code fall} checks. The next probe decides: one that
 * started after the suspicion and succeeds clears it (a probe already in flight saw the server
 * before the session did, so it cannot); one that fails after the grace period confirms the
 * backend down.
 *
 * <p>Pure and single-threaded: times are {@code System.nanoTime()} values passed in, and the
 * owning checker calls it from its one event loop.
 */
public final class RiseFall {
    private final int rise;
    private final int fall;
    private final long graceEndsAt;
    private CheckState state;
    private int successes;
    private int failures;
    private long suspectedAt;

    /**
     * A backend assumed up, as at start.
     *
     * @param graceEndsAt the nanoTime before which failed checks do not count
     */
    public RiseFall(int rise, int fall, long graceEndsAt) {
        this(rise, fall, graceEndsAt, CheckState.UP);
    }

    /**
     * A backend whose verdict carries over (a reload that changed its check settings): an up one
     * stays up, anything else starts down and needs {@code rise} passes.
     */
    public RiseFall(int rise, int fall, long graceEndsAt, CheckState from) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1: rise=" + rise + " fall=" + fall);
        }
        this.rise = rise;
        this.fall = fall;
        this.graceEndsAt = graceEndsAt;
        this.state = from == CheckState.UP ? CheckState.UP : CheckState.DOWN;
    }

    public CheckState state() {
        return state;
    }

    /** A probe that started at {@code startedAt} passed. */
    public Optional<Transition> success(long startedAt) {
        failures = 0;
        return switch (state) {
            case UP -> Optional.empty();
            case SUSPECT -> startedAt - suspectedAt >= 0
                    ? moveTo(CheckState.UP, "a check passed after the suspicion")
                    : Optional.empty();
            case DOWN -> ++successes >= rise
                    ? moveTo(CheckState.UP, plural(rise, "check") + " passed")
                    : Optional.empty();
        };
    }

    /** A probe failed at {@code now}, for {@code reason}; during the grace period it does not count. */
    public Optional<Transition> failure(String reason, long now) {
        successes = 0;
        if (now - graceEndsAt < 0) {
            return Optional.empty();
        }
        return switch (state) {
            case UP -> ++failures >= fall ? moveTo(CheckState.DOWN, reason) : Optional.empty();
            case SUSPECT -> moveTo(CheckState.DOWN, reason);
            case DOWN -> Optional.empty();
        };
    }

    /** A session could not connect at {@code now}; only an up backend becomes suspect. */
    public Optional<Transition> suspect(String reason, long now) {
        if (state != CheckState.UP) {
            return Optional.empty();
        }
        suspectedAt = now;
        return moveTo(CheckState.SUSPECT, reason);
    }

    private Optional<Transition> moveTo(CheckState to, String reason) {
        Transition t = new Transition(state, to, reason);
        state = to;
        successes = 0;
        failures = 0;
        return Optional.of(t);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
