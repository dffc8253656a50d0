package dev.meridian.proxy.config;

import java.util.Objects;

/**
 * Which allowed region a database rule sends a client to: the one nearest to the client, the one
 * this Meridian instance runs in, or a fixed region. {@code region} is set only for
 * {@link Kind#REGION}.
 */
public record Preference(Kind kind, String region) {

    public enum Kind {
        NEAREST,
        LOCAL,
        REGION
    }

    public static final Preference NEAREST = new Preference(Kind.NEAREST, null);
    public static final Preference LOCAL = new Preference(Kind.LOCAL, null);

    public Preference {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.REGION) != (region != null)) {
            throw new IllegalArgumentException("region must be given exactly for kind REGION");
        }
    }

    public static Preference region(String code) {
        return new Preference(Kind.REGION, Objects.requireNonNull(code, "code"));
    }

    /** The YAML spelling: {@code nearest}, {@code local} or the region code. */
    @Override
    public String toString() {
        return kind == Kind.REGION ? region : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
