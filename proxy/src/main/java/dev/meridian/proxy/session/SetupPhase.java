package dev.meridian.proxy.session;

import dev.meridian.protocol.message.Frame;
import java.util.List;

/** The phase that hands a client over to the relay: it holds what the client pipelined meanwhile. */
interface SetupPhase {
    /** The messages the client sent after authenticating; the caller now owns them. */
    List<Frame> drainPending();

    /** Setup is over (relay running or connection refused): cancel the startup deadline. */
    void finish();
}
