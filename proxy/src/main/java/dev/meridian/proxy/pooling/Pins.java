package dev.meridian.proxy.pooling;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pinned states of one client. A pin holds from the moment its statement is sent (even if it
 * fails: when in doubt, pin). An unpin waits until everything sent with it has been answered,
 * the last ReadyForQuery said 'I' and no ErrorResponse came meanwhile: DISCARD ALL refused
 * inside a transaction block, or an UNLISTEN in a transaction rolled back, leave the state in
 * place, so the pin stays. A pin sent after an unpin of the same state survives it.
 */
public final class Pins {
    private final EnumSet<PinReason> held = EnumSet.noneOf(PinReason.class);
    private final EnumSet<PinReason> toClear = EnumSet.noneOf(PinReason.class);
    /** {@link #text()} as of the last change, for readers on other threads (SHOW CLIENTS). */
    private volatile String shown = "";

    /** Applies a statement's effects; returns the reasons newly pinned (for the pins counter). */
    public List<PinReason> apply(List<Effect> effects) {
        List<PinReason> added = new ArrayList<>();
        for (Effect e : effects) {
            if (e.unpin() && e.reason() == null) {
                toClear.addAll(EnumSet.allOf(PinReason.class));
            } else if (e.unpin()) {
                toClear.add(e.reason());
            } else {
                toClear.remove(e.reason());
                if (held.add(e.reason())) {
                    added.add(e.reason());
                }
            }
        }
        if (!added.isEmpty()) {
            shown = text();
        }
        return added;
    }

    /** A new pin not from SQL text (a named Parse, a FunctionCall). */
    public boolean pin(PinReason reason) {
        toClear.remove(reason);
        if (held.add(reason)) {
            shown = text();
            return true;
        }
        return false;
    }

    /**
     * Nothing is outstanding any more: {@code clean} = the last ReadyForQuery said 'I' and no
     * ErrorResponse came since the unpins were sent.
     */
    public void settled(boolean clean) {
        if (clean && held.removeAll(toClear)) {
            shown = text();
        }
        toClear.clear();
    }

    public boolean pinned() {
        return !held.isEmpty();
    }

    /**
     * The pin reasons from any thread: written only when the pins change (a volatile store then,
     * nothing per statement), so the admin console never reads the owner's sets.
     */
    public String shown() {
        return shown;
    }

    /** "listen,temp_table" or "". */
    public String text() {
        return held.stream().map(PinReason::label).collect(Collectors.joining(","));
    }
}
