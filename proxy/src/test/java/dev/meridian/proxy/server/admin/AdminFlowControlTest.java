package dev.meridian.proxy.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminFlowControlTest {
    private static final AdminLimits LIMITS = new AdminLimits(10, 4, Duration.ofSeconds(10), 4096, 8192, 1024);

    /** Stands for the route handler: records requests, answers only when told. */
    private static final class Routes extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FullHttpRequest r = (FullHttpRequest) msg;
            seen.add(r.uri());
            r.release();
        }

        void answer() {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        }
    }

    private final Routes routes = new Routes();
    private final EmbeddedChannel ch = new EmbeddedChannel(new AdminFlowControl(LIMITS), routes);

    @AfterEach
    void noLeftovers() {
        Object out;
        while ((out = ch.readOutbound()) != null) {
            ((FullHttpResponse) out).release();
        }
        assertFalse(ch.finish());
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    @Test
    void answersOneRequestAtATimeInOrder() {
        ch.writeInbound(get("/a"), get("/b"), get("/c"));
        assertThat(routes.seen).containsExactly("/a");
        routes.answer();
        assertThat(routes.seen).containsExactly("/a", "/b");
        routes.answer();
        routes.answer();
        assertThat(routes.seen).containsExactly("/a", "/b", "/c");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void moreThanTheLimitInOneReadClosesTheConnectionAndReleasesWhatWasQueued() {
        FullHttpRequest[] flood = new FullHttpRequest[20];
        for (int i = 0; i < flood.length; i++) {
            flood[i] = get("/metrics?" + i);
        }
        ch.writeInbound((Object[]) flood);
        assertThat(ch.isOpen()).isFalse();
        assertThat(routes.seen).hasSize(1);
        for (FullHttpRequest r : flood) {
            assertThat(r.refCnt()).isZero();
        }
    }

    @Test
    void aRequestNotCompletedInTimeClosesTheConnection() {
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void eachAnswerGivesTheNextRequestAFullTimeout() {
        ch.advanceTimeBy(8, TimeUnit.SECONDS);
        ch.writeInbound(get("/health"));
        routes.answer();
        ch.advanceTimeBy(8, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
    }
}
