package dev.meridian.proxy.backend.pool;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Moves an idle pooled connection's channel to another event loop (Netty: deregister from its
 * loop, register with the other), so that a session on that loop can use it with client and
 * backend on one thread. A move costs two task hand-overs between loops; the alternative it
 * replaces, closing the connection and logging in afresh on the session's loop, costs a backend
 * fork and a login (milliseconds of PostgreSQL's CPU). Call with the connection out of the idle
 * set and without an {@link IdleHandler}: nothing may read from it while it moves.
 */
final class LoopMove {
    private LoopMove() {
    }

    /**
     * Completes on {@code to} with {@code c} registered there (already there: at once); fails, with
     * the channel closed, when it could not be moved (a closed channel, a transport that refuses).
     */
    static Future<PooledConnection> to(EventLoop to, PooledConnection c) {
        Promise<PooledConnection> moved = to.newPromise();
        Channel ch = c.channel();
        if (ch.eventLoop() == to) {
            return moved.setSuccess(c);
        }
        ch.deregister().addListener(off -> {
            if (!off.isSuccess() || !ch.isOpen()) {
                fail(ch, moved, off.cause());
                return;
            }
            to.register(ch).addListener(on -> {
                if (on.isSuccess() && ch.isActive()) {
                    moved.trySuccess(c);
                } else {
                    fail(ch, moved, on.cause());
                }
            });
        });
        return moved;
    }

    private static void fail(Channel ch, Promise<PooledConnection> moved, Throwable cause) {
        ch.close();
        moved.tryFailure(cause != null ? cause : new IllegalStateException("pooled connection closed while moving"));
    }
}
