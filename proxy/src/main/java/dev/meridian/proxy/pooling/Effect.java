package dev.meridian.proxy.pooling;

/**
 * What one statement does to session state that a pooled connection would otherwise carry to
 * the next client: nothing, a pin, or the end of a pinned state (taken only once the statement
 * provably succeeded, see {@link Pins}). {@code reason} null with {@code unpin} = every reason
 * (DISCARD ALL).
 */
public record Effect(PinReason reason, boolean unpin) {
    public static final Effect UNPIN_ALL = new Effect(null, true);

    public static Effect pin(PinReason reason) {
        return new Effect(reason, false);
    }

    public static Effect unpin(PinReason reason) {
        return new Effect(reason, true);
    }
}
