package dev.meridian.proxy.session;

import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.proxy.metrics.MeridianMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Every refusal is an ErrorResponse, written and flushed, then the connection is closed. A
 * refusal also settles the session's outcome in the metrics, unless one was recorded already.
 */
public final class Refusals {
    private Refusals() {
    }

    public static void fatal(Channel ch, String sqlState, String message) {
        send(ch, ErrorResponse.fatal(sqlState, message));
    }

    public static void send(Channel ch, ErrorResponse error) {
        MeridianMetrics.refusalSent(ch, error.sqlState());
        if (!ch.isActive()) {
            ch.close();
            return;
        }
        ByteBuf out = ch.alloc().buffer();
        error.encode(out);
        ch.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
