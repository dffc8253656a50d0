package dev.meridian.proxy.backend.pool;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a session and an idle or just-reset connection on different event loops meet: the
 * connection moves to the session's loop ({@link LoopMove}) instead of being closed so that the
 * session can log in afresh on its own. Part of {@link BackendPool}, which passes its own steps in.
 */
final class Handover {
    private final IdleConnections idle;
    private final Function<String, Slots> slots;
    private final Consumer<Waiter> retry;
    private final BiConsumer<Waiter, PooledConnection> lend;
    private final Consumer<PooledConnection> parkIdle;

    Handover(IdleConnections idle, Function<String, Slots> slots, Consumer<Waiter> retry,
             BiConsumer<Waiter, PooledConnection> lend, Consumer<PooledConnection> parkIdle) {
        this.idle = idle;
        this.slots = slots;
        this.retry = retry;
        this.lend = lend;
        this.parkIdle = parkIdle;
    }

    /**
     * Nothing for the session on its own loop, but connections are idle on others: one of its key
     * is moved over ({@link LoopMove}) rather than a new login opened (a backend fork). Without one
     * the session goes on as before (a new login, or the queue at the cap).
     */
    void lendFromElsewhere(Waiter w, Slots s) {
        idle.takeElsewhere(w.loop(), w.key()).addListener(f -> {
            PooledConnection moved = (PooledConnection) f.getNow();
            if (moved == null) {
                retry.accept(w);
            } else {
                s.activated();
                lendOrPark(w, moved, s);
            }
        });
    }

    /** Lends {@code c} (counted active) to {@code w}, or keeps it idle when {@code w} gave up meanwhile. */
    private void lendOrPark(Waiter w, PooledConnection c, Slots s) {
        if (w.promise().isDone()) {
            s.deactivated();
            parkIdle.accept(c);
        } else {
            lend.accept(w, c);
        }
    }

    /**
     * A reset connection goes straight to a session waiting for exactly its key, preferably one on
     * its own loop; one waiting on another loop gets it moved there ({@link LoopMove}). Either way
     * that session costs nothing but the hand-over, where closing the connection to free the slot
     * would cost a backend fork and login. Waiters with other keys still get the slot the
     * connection frees when {@link IdleConnections#keep} closes it.
     */
    boolean handToWaiter(PooledConnection c) {
        if (!c.channel().isActive() || c.retired) {
            return false;
        }
        Slots s = slots.apply(c.backend().name());
        Waiter here = s.takeWaiter(c.channel().eventLoop(), c.key());
        Waiter w = here != null ? here : s.takeWaiter(null, c.key());
        if (w == null) {
            return false;
        }
        c.channel().pipeline().remove(IdleHandler.NAME);
        s.activated();
        LoopMove.to(w.loop(), c).addListener(f -> {
            if (f.isSuccess()) {
                lendOrPark(w, c, s);
            } else { // closed while moving: its slot is freed; the waiter tries again
                s.deactivated();
                retry.accept(w);
            }
        });
        return true;
    }
}
