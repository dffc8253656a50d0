package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a unit of a {@code target: auto} session ends among the frames queued for it: at the
 * first Query, Sync, FunctionCall or Flush (a Flush-ended unit goes to the primary: its answer
 * has no ReadyForQuery to wait for). Past {@link #MAX_FRAMES} frames without one, the unit is cut
 * there (and, unclassifiable, goes to the primary).
 */
final class AutoUnits {
    static final int MAX_FRAMES = 1000;

    private AutoUnits() {
    }

    static boolean ends(byte type) {
        return type == 'Q' || type == 'S' || type == 'F' || type == 'H';
    }

    /** Whether the queue holds a complete unit (or too many frames to wait for one). */
    static boolean ends(Collection<Frame> queued) {
        return queued.size() >= MAX_FRAMES || queued.stream().anyMatch(f -> ends(f.type()));
    }

    /** How many of the queued frames, from the first, make the first unit. */
    static int unitLength(Collection<Frame> queued) {
        int n = 0;
        for (Frame f : queued) {
            n++;
            if (ends(f.type())) {
                return n;
            }
        }
        return n;
    }

    /** The first {@code n} frames. */
    static List<Frame> unit(Collection<Frame> queued, int n) {
        List<Frame> unit = new ArrayList<>(n);
        for (Frame f : queued) {
            if (unit.size() == n) {
                break;
            }
            unit.add(f);
        }
        return unit;
    }
}
