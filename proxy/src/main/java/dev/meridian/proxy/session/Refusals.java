package dev.meridian.proxy.session;

import dev.meridian.protocol.message.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** Every refusal is an ErrorResponse, written and flushed, then the connection is closed. */
public final class Refusals {
    private Refusals() {
    }

    public static void fatal(Channel ch, String sqlState, String message) {
        send(ch, ErrorResponse.fatal(sqlState, message));
    }

    public static void send(Channel ch, ErrorResponse error) {
        if (!ch.isActive()) {
            ch.close();
            return;
        }
        ByteBuf out = ch.alloc().buffer();
        error.encode(out);
        ch.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
