package dev.meridian.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.proxy.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The keepalive settings reach a real connected socket (read back from the kernel). */
class BackendKeepAliveTest {
    @Test
    void aBackendSocketProbesAfterFifteenSecondsOfSilenceAndGivesUpAfterThirty() throws Exception {
        Transport transport = Transport.best();
        assumeTrue(transport.name().equals("epoll"), "keepalive is tuned on epoll only");
        EventLoopGroup group = transport.newGroup(1, "keepalive-test");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Bootstrap b = new Bootstrap().group(group).channel(transport.socketChannel())
                    .handler(new ChannelInboundHandlerAdapter());
            Channel ch = BackendKeepAlive.apply(b, transport.socketChannel())
                    .connect(server.getLocalSocketAddress()).sync().channel();
            try (Socket accepted = server.accept()) {
                assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isEqualTo(15);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPINTVL)).isEqualTo(5);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPCNT)).isEqualTo(3);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT)).isEqualTo(30_000);
            } finally {
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
