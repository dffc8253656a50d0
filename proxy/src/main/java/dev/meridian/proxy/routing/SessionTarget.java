package dev.meridian.proxy.routing;

import java.util.Locale;

/**
 * What a session may run on (DESIGN.md routing rule 3). The client chooses with
 * {@code options=-c meridian.target=read-only}; the spelling is libpq's
 * {@code target_session_attrs}.
 */
public enum SessionTarget {
    /** The default: primaries only, so that writes never land on a standby. */
    READ_WRITE,
    /** Replicas first, then primaries: like libpq's {@code prefer-standby}, it offloads the primaries. */
    READ_ONLY,
    /**
     * Per transaction (transaction mode): read-only ones to a replica, the rest to the primary.
     * The session itself opens on a primary, as read-write does; in session mode it stays there.
     */
    AUTO;

    /** The session target a rule's {@code target:} gives when the client names none. */
    public static SessionTarget of(dev.meridian.proxy.config.RuleTarget rule) {
        return switch (rule) {
            case READ_WRITE -> READ_WRITE;
            case READ_ONLY -> READ_ONLY;
            case AUTO -> AUTO;
        };
    }

    /** Whether the session itself needs a primary (read-write, and auto, whose writes go there). */
    public boolean needsPrimary() {
        return this != READ_ONLY;
    }

    /** The option spelling, e.g. {@code read-only}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the option value; null when it is neither spelling. */
    public static SessionTarget parse(String text) {
        for (SessionTarget t : values()) {
            if (t.label().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
