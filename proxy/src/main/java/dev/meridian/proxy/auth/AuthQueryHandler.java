package dev.meridian.proxy.auth;

import dev.meridian.protocol.message.DataRow;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.FrontendMessages;
import dev.meridian.protocol.message.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Optional;

/**
 * Runs the auth query once on a logged-in backend connection with the extended protocol
 * (Parse, Bind with the user name as $1, Execute, Sync), reads the first row's second column
 * as the secret, then says Terminate and closes.
 */
final class AuthQueryHandler extends ChannelInboundHandlerAdapter {
    private final String sql;
    private final String user;
    private final Promise<Optional<UserSecret>> promise;
    private Optional<UserSecret> found = Optional.empty();
    private String error;
    private boolean answered;

    AuthQueryHandler(String sql, String user, Promise<Optional<UserSecret>> promise) {
        this.sql = sql;
        this.user = user;
        this.promise = promise;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        FrontendMessages.parse(out, "", sql);
        FrontendMessages.bind(out, "", "", user);
        FrontendMessages.execute(out, "", 1);
        FrontendMessages.sync(out);
        ctx.writeAndFlush(out);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Frame f && f.type() == 'D' && found.isEmpty()) {
                List<String> row = DataRow.decodeText(f.body());
                String secret = row.size() >= 2 ? row.get(1) : null;
                found = secret == null || secret.isEmpty() ? Optional.empty() : Optional.of(UserSecret.parse(secret));
            } else if (msg instanceof ErrorResponse e) {
                error = e.message();
            } else if (msg instanceof ReadyForQuery) {
                answered = true;
                finish(ctx);
            }
        } catch (IllegalArgumentException e) {
            error = "auth_query returned a malformed secret for user \"" + user + "\"";
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Whether the backend has finished the query (nothing left to cancel). */
    boolean answered() {
        return answered;
    }

    private void finish(ChannelHandlerContext ctx) {
        if (error != null) {
            promise.tryFailure(new IllegalStateException("auth_query failed: " + error));
        } else {
            promise.trySuccess(found);
        }
        ByteBuf bye = ctx.alloc().buffer(5);
        FrontendMessages.terminate(bye);
        ctx.writeAndFlush(bye).addListener(f -> ctx.close());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!promise.isDone()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        promise.tryFailure(new IllegalStateException("auth_query: backend closed the connection"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        promise.tryFailure(new IllegalStateException("auth_query: " + cause.getMessage()));
        ctx.close();
    }
}
