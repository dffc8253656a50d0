package dev.meridian.proxy.session;

import dev.meridian.protocol.SqlState;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code limits.startup_timeout}: a client must finish startup and authentication within it,
 * else it is refused and closed. Armed when the connection opens, cancelled when the relay
 * starts or the connection is refused.
 */
final class SetupDeadline {
    private final ScheduledFuture<?> timer;

    private SetupDeadline(ScheduledFuture<?> timer) {
        this.timer = timer;
    }

    static SetupDeadline arm(Channel client, Duration timeout) {
        return new SetupDeadline(client.eventLoop().schedule(() -> Refusals.fatal(client, SqlState.PROTOCOL_VIOLATION,
                "canceling authentication due to timeout"), timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    void cancel() {
        timer.cancel(false);
    }
}
