package dev.meridian.proxy.ops;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * SUSPEND on one client connection: put first in its pipeline, it holds back every read the
 * session asks for, so the client's next queries stay in the socket. RESUME removes it and
 * passes on the read it held. The read the session had already asked for is withdrawn when the
 * gate goes in ({@link ServerControl}); bytes already read are still relayed.
 */
final class SuspendGate extends ChannelDuplexHandler {
    static final String NAME = "suspend-gate";

    private boolean readHeld;

    @Override
    public void read(ChannelHandlerContext ctx) {
        readHeld = true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (readHeld && ctx.channel().isActive()) {
            ctx.channel().read();
        }
    }
}
