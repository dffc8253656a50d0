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
    READ_ONLY;

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
