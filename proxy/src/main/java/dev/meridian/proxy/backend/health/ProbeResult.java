package dev.meridian.proxy.backend.health;

import dev.meridian.proxy.config.BackendRole;
import java.time.Duration;

/**
 * What one health probe found.
 *
 * @param verdict whether the backend passed, failed, or the probe could not tell
 * @param role    PRIMARY or REPLICA from {@code pg_is_in_recovery()}, or null when not asked
 * @param rtt     the measured round trip, or null
 * @param failure why the probe failed or could not tell; null when it passed
 * @param superuser whether the probe's login user is a superuser (ParameterStatus {@code is_superuser}); null when not known
 * @param facts   cluster identity, timeline and limits when the query answered them, else null
 */
public record ProbeResult(Verdict verdict, BackendRole role, Duration rtt, String failure, Boolean superuser,
                          ServerFacts facts) {
    public enum Verdict {
        PASSED,
        FAILED,
        /**
         * The probe timed out, but not because of the backend: the backend answered sessions
         * meanwhile, or Meridian's own event loop was too late to hear it. Counts neither way.
         */
        INCONCLUSIVE
    }

    public static ProbeResult passed(BackendRole role, Duration rtt) {
        return new ProbeResult(Verdict.PASSED, role, rtt, null, null, null);
    }

    public static ProbeResult passed(BackendRole role, Duration rtt, Boolean superuser) {
        return new ProbeResult(Verdict.PASSED, role, rtt, null, superuser, null);
    }

    public static ProbeResult passed(BackendRole role, Duration rtt, Boolean superuser, ServerFacts facts) {
        return new ProbeResult(Verdict.PASSED, role, rtt, null, superuser, facts);
    }

    public static ProbeResult failed(String failure) {
        return new ProbeResult(Verdict.FAILED, null, null, failure, null, null);
    }

    public static ProbeResult inconclusive(String why) {
        return new ProbeResult(Verdict.INCONCLUSIVE, null, null, why, null, null);
    }

    public boolean passed() {
        return verdict == Verdict.PASSED;
    }

    public boolean inconclusive() {
        return verdict == Verdict.INCONCLUSIVE;
    }
}
