package dev.meridian.proxy.backend.health;

/** Where a backend stands with its health checker. Only {@link #UP} takes new sessions. */
public enum CheckState {
    /** Checks pass (or, before the first verdict, assumed to). */
    UP,
    /**
     * A session could not connect a moment ago: out of routing at once and re-probed at once. One
     * good probe clears it; a bad one confirms {@link #DOWN}.
     */
    SUSPECT,
    /** {@code fall} checks failed in a row (or a suspicion was confirmed); back after {@code rise} good ones. */
    DOWN;

    /** The lower-case name used in logs and {@code /routes}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
