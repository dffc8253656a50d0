package dev.meridian.proxy.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * Epoll where the native transport loads (Linux), NIO elsewhere; io_uring on request
 * ({@code -Dmeridian.transport=io_uring}, where the kernel allows it; see bench/RESULTS.md).
 * {@code -Dmeridian.transport=nio} (or the older {@code -Dmeridian.nio=true}) forces NIO.
 *
 * <p>Epoll loops poll on for a while after work before they sleep ({@link SpinThenSleep});
 * {@code -Dmeridian.io.spin_us=N} sets the window in microseconds, 0 turns it off.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /** Epoll's poll-before-sleep window: see bench/RESULTS.md for how it was chosen. */
    static final long DEFAULT_SPIN_MICROS = 500;

    public static Transport best() {
        String wanted = System.getProperty("meridian.transport", Boolean.getBoolean("meridian.nio") ? "nio" : "epoll");
        if (wanted.equals("io_uring") && IoUring.isAvailable()) {
            return new Transport("io_uring", IoUringIoHandler.newFactory(),
                    IoUringServerSocketChannel.class, IoUringSocketChannel.class);
        }
        if (!wanted.equals("nio") && Epoll.isAvailable()) {
            long spinMicros = Long.getLong("meridian.io.spin_us", DEFAULT_SPIN_MICROS);
            IoHandlerFactory handlers = spinMicros > 0
                    ? EpollIoHandler.newFactory(0, SpinThenSleep.factory(spinMicros * 1000))
                    : EpollIoHandler.newFactory();
            return new Transport("epoll", handlers, EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(),
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** Whether several listening sockets can share one port (Linux's {@code SO_REUSEPORT}: epoll, io_uring). */
    public boolean reusePort() {
        return serverChannel != NioServerSocketChannel.class;
    }

    /** {@code SO_REUSEPORT}; only valid when {@link #reusePort()}. */
    public ChannelOption<Boolean> reusePortOption() {
        return UnixChannelOption.SO_REUSEPORT;
    }

    public EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, new NamedThreadFactory(prefix), ioHandlerFactory);
    }
}
