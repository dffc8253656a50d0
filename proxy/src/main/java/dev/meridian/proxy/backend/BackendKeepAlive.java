package dev.meridian.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import java.time.Duration;

/**
 * TCP keepalive for backend connections, so that a backend that vanishes without a FIN or RST
 * (a region's network cut, a host powered off) ends its sessions with an error in about half a
 * minute instead of hanging them. A SIGKILLed server needs none of this: its kernel resets the
 * sockets. Linux defaults wait two hours before the first probe; these settings start probing
 * after {@link #IDLE} of silence and give up after {@link #COUNT} unanswered probes, and
 * TCP_USER_TIMEOUT gives up as soon on data the peer never acknowledges (a query sent into the
 * void). A server busy with a long query still answers probes from its kernel, so long queries
 * are unaffected. Tuned on epoll (the production transport) and io_uring; NIO keeps the OS defaults.
 */
final class BackendKeepAlive {
    static final Duration IDLE = Duration.ofSeconds(15);
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final int COUNT = 3;
    static final Duration USER_TIMEOUT = IDLE.plus(INTERVAL.multipliedBy(COUNT));

    private BackendKeepAlive() {
    }

    static Bootstrap apply(Bootstrap bootstrap, Class<? extends Channel> channelType) {
        bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
        if (EpollSocketChannel.class.isAssignableFrom(channelType)) {
            bootstrap.option(EpollChannelOption.TCP_KEEPIDLE, (int) IDLE.toSeconds())
                    .option(EpollChannelOption.TCP_KEEPINTVL, (int) INTERVAL.toSeconds())
                    .option(EpollChannelOption.TCP_KEEPCNT, COUNT)
                    .option(EpollChannelOption.TCP_USER_TIMEOUT, (int) USER_TIMEOUT.toMillis());
        } else if (IoUringSocketChannel.class.isAssignableFrom(channelType)) {
            bootstrap.option(IoUringChannelOption.TCP_KEEPIDLE, (int) IDLE.toSeconds())
                    .option(IoUringChannelOption.TCP_KEEPINTVL, (int) INTERVAL.toSeconds())
                    .option(IoUringChannelOption.TCP_KEEPCNT, COUNT)
                    .option(IoUringChannelOption.TCP_USER_TIMEOUT, (int) USER_TIMEOUT.toMillis());
        }
        return bootstrap;
    }
}
