package dev.meridian.proxy.admin;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.codec.CStrings;
import dev.meridian.protocol.message.Authentication;
import dev.meridian.protocol.message.ErrorResponse;
import dev.meridian.protocol.message.Frame;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.protocol.message.ResultSets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The admin console phase: a psql session on the virtual database {@code meridian}. Simple
 * queries only, as PgBouncer's console; an extended-protocol request gets an error at its Sync.
 * A failed command is an ERROR and the session goes on.
 */
public final class AdminConsoleHandler extends ChannelInboundHandlerAdapter {
    private static final List<ParameterStatus> GREETING = List.of(
            new ParameterStatus("server_version", "15.0 (Meridian admin console)"),
            new ParameterStatus("server_encoding", "UTF8"),
            new ParameterStatus("client_encoding", "UTF8"),
            new ParameterStatus("DateStyle", "ISO, MDY"),
            new ParameterStatus("integer_datetimes", "on"),
            new ParameterStatus("standard_conforming_strings", "on"));

    private final ConsoleCommands commands;
    private boolean extendedRefused;
    /** A command still running (PAUSE), or null. */
    private CompletableFuture<ResultTable> pending;

    public AdminConsoleHandler(ConsoleCommands commands) {
        this.commands = commands;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        Authentication.Ok.INSTANCE.encode(out);
        GREETING.forEach(p -> p.encode(out));
        ReadyForQuery.IDLE.encode(out);
        ctx.writeAndFlush(out);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            switch (frame.type()) {
                case 'Q' -> answer(ctx, CStrings.read(frame.body()));
                case 'X' -> ctx.close();
                case 'S' -> sync(ctx);
                default -> extendedRefused = true;
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Runs one command. While it is pending (PAUSE waiting for sessions) nothing more is read
     * from the console, so commands answer in order.
     */
    private void answer(ChannelHandlerContext ctx, String query) {
        if (query.isBlank()) {
            ByteBuf out = ctx.alloc().buffer();
            ResultSets.emptyQuery(out);
            ReadyForQuery.IDLE.encode(out);
            ctx.writeAndFlush(out);
            return;
        }
        CompletableFuture<ResultTable> result;
        try {
            result = commands.run(query, ctx.executor());
        } catch (ProtocolException e) {
            result = CompletableFuture.failedFuture(e);
        }
        if (!result.isDone()) {
            pending = result;
        }
        result.whenComplete((table, failure) -> ctx.executor().execute(() -> reply(ctx, table, failure)));
    }

    private void reply(ChannelHandlerContext ctx, ResultTable table, Throwable failure) {
        boolean wasPending = pending != null;
        pending = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        ByteBuf out = ctx.alloc().buffer();
        if (failure == null) {
            table.encode(out);
        } else {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String sqlState = cause instanceof ProtocolException p ? p.sqlState() : "XX000";
            ErrorResponse.error(sqlState, cause.getMessage()).encode(out);
        }
        ReadyForQuery.IDLE.encode(out);
        ctx.writeAndFlush(out);
        if (wasPending) {
            ctx.read();
        }
    }

    private void sync(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        if (extendedRefused) {
            ErrorResponse.error("0A000", "the admin console accepts simple queries only").encode(out);
            extendedRefused = false;
        }
        ReadyForQuery.IDLE.encode(out);
        ctx.writeAndFlush(out);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pending == null) {
            ctx.read();
        }
    }

    /** The console left: a PAUSE it waited on stays in force, but nobody waits for its answer. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
